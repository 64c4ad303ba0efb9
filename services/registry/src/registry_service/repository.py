"""Queries on DIP entries. Never commits: the request's transaction does (STYLE.md)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from ppid_kit.db import add_and_refresh
from ppid_kit.paging import Keyset
from ppid_kit.query import equal_where_given
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from registry_service.models import DipCategory, DipEntry, DipStatus

# The public order, newest first; the partial indexes on (…, updated_at, id) serve it.
NEWEST_FIRST = Keyset(DipEntry, "updated_at", "id", descending=True)


@dataclass(frozen=True)
class EntryFilter:
    root: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    category: DipCategory | None = None
    year: int | None = None
    updated_after: datetime | None = None


def select_published_entries(filters: EntryFilter) -> sa.Select[DipEntry]:
    """Published entries that pass `filters`, in no order yet: `keyset_page` pages them.

    Only published entries are public: the DIP excludes drafts and exempted items (DOMAIN.md 2.1).
    """
    stmt = sa.select(DipEntry).where(
        *equal_where_given(
            (col(DipEntry.status), DipStatus.PUBLISHED),
            (col(DipEntry.root_id), filters.root),
            (col(DipEntry.unit_id), filters.unit_id),
            (col(DipEntry.category), filters.category),
            (col(DipEntry.year), filters.year),
        )
    )
    if filters.updated_after is not None:
        stmt = stmt.where(col(DipEntry.updated_at) > filters.updated_after)
    return stmt


async def get_published_entry(session: AsyncSession, entry_id: uuid.UUID) -> DipEntry | None:
    stmt = sa.select(DipEntry).where(
        col(DipEntry.id) == entry_id, col(DipEntry.status) == DipStatus.PUBLISHED
    )
    return (await session.scalars(stmt)).one_or_none()


async def add_entry(session: AsyncSession, entry: DipEntry) -> DipEntry:
    """Stage a new entry; its server defaults (timestamps) are loaded after the flush."""
    return await add_and_refresh(session, entry)
