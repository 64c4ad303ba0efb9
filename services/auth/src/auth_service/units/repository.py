"""Queries on units. Never commits: the request's transaction does (STYLE.md)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from ppid_kit.db import add_and_refresh
from ppid_kit.paging import Keyset
from ppid_kit.query import equal_where_given
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.units.models import Unit, UnitKind

# The directory's order; ix_units_name_id and ix_units_root_id_name_id serve it.
BY_NAME = Keyset(Unit, "name", "id")


@dataclass(frozen=True)
class UnitFilter:
    root: uuid.UUID | None = None
    kind: UnitKind | None = None
    parent_id: uuid.UUID | None = None
    q: str | None = None
    is_active: bool | None = None


def escape_like(text: str) -> str:
    """`%` and `_` typed by a user are literal characters, not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def select_units(filters: UnitFilter) -> sa.Select[Unit]:
    """The units that pass `filters`, in no order yet: `keyset_page` pages them."""
    stmt = sa.select(Unit).where(
        *equal_where_given(
            (col(Unit.root_id), filters.root),
            (col(Unit.kind), filters.kind),
            (col(Unit.parent_id), filters.parent_id),
            (col(Unit.is_active), filters.is_active),
        )
    )
    if filters.q:
        stmt = stmt.where(col(Unit.name).ilike(f"%{escape_like(filters.q)}%", escape="\\"))
    return stmt


async def get_unit(session: AsyncSession, unit_id: uuid.UUID) -> Unit | None:
    return await session.get(Unit, unit_id)


async def add_unit(session: AsyncSession, unit: Unit) -> Unit:
    """Stage a new unit; its server defaults (timestamps) are loaded after the flush."""
    return await add_and_refresh(session, unit)
