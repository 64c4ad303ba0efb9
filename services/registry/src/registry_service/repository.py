"""Queries on DIP entries. Never commits: the request's transaction does (STYLE.md)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from ppid_kit.cursor import CursorCodec
from ppid_kit.db import add_and_refresh
from ppid_kit.paging import Keyset, KeysetPage, Paging
from ppid_kit.problems import INVALID_CURSOR, ProblemError
from ppid_kit.query import equal_where_given
from sqlalchemy.dialects.postgresql import ARRAY, REGCONFIG
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from registry_service.models import (
    SEARCH_VECTOR,
    DipCategory,
    DipDecree,
    DipEntry,
    DipEntryVersion,
    DipPolicy,
    DipStatus,
)

# The public order, newest first; the partial indexes on (…, updated_at, id) serve it.
NEWEST_FIRST = Keyset(DipEntry, "updated_at", "id", descending=True)
DECREES_NEWEST_FIRST = Keyset(DipDecree, "year", "id", descending=True)
SEARCH_CONFIG = "indonesian"


@dataclass(frozen=True)
class EntryFilter:
    root: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    category: DipCategory | None = None
    year: int | None = None
    updated_after: datetime | None = None
    # Any of these units (a unit and its sub-units); None: no such filter.
    unit_ids: Collection[uuid.UUID] | None = None
    # Any of these roots (the caller's roots in the officials' list).
    roots: Collection[uuid.UUID] | None = None
    tag: str | None = None
    status: DipStatus | None = None


def _where(stmt: sa.Select[Any], filters: EntryFilter) -> sa.Select[Any]:
    stmt = stmt.where(
        *equal_where_given(
            (col(DipEntry.status), filters.status),
            (col(DipEntry.root_id), filters.root),
            (col(DipEntry.unit_id), filters.unit_id),
            (col(DipEntry.category), filters.category),
            (col(DipEntry.year), filters.year),
        )
    )
    if filters.unit_ids is not None:
        stmt = stmt.where(col(DipEntry.unit_id).in_(list(filters.unit_ids)))
    if filters.roots is not None:
        stmt = stmt.where(col(DipEntry.root_id).in_(list(filters.roots)))
    if filters.tag is not None:
        tags = sa.cast(sa.literal([filters.tag], ARRAY(sa.String())), ARRAY(sa.String(64)))
        stmt = stmt.where(col(DipEntry.tags).op("@>")(tags))
    if filters.updated_after is not None:
        stmt = stmt.where(col(DipEntry.updated_at) > filters.updated_after)
    return stmt


def select_published_entries(filters: EntryFilter) -> sa.Select[DipEntry]:
    """Published entries that pass `filters`, in no order yet: `keyset_page` pages them.

    Only published entries are public: the DIP excludes drafts and exempted items (DOMAIN.md 2.1).
    """
    return _where(sa.select(DipEntry), filters).where(col(DipEntry.status) == DipStatus.PUBLISHED)


def select_entries(filters: EntryFilter) -> sa.Select[DipEntry]:
    """Entries in any status (the officials' list) that pass `filters`, in no order yet."""
    return _where(sa.select(DipEntry), filters)


@dataclass(frozen=True)
class SearchHit:
    entry: DipEntry
    rank: float
    snippet: str


_RANK_ORDER = "rank"


def _rank_cursor(codec: CursorCodec, hit: SearchHit) -> str:
    return codec.encode({"order": _RANK_ORDER, "rank": hit.rank, "id": hit.entry.id})


def _rank_position(codec: CursorCodec, cursor: str) -> tuple[float, uuid.UUID]:
    values = codec.decode(cursor)
    try:
        if values["order"] != _RANK_ORDER:
            raise ValueError(values["order"])
        return float(values["rank"]), uuid.UUID(values["id"])
    except (KeyError, TypeError, ValueError) as exc:  # ours, but of another order
        raise ProblemError(INVALID_CURSOR) from exc


async def search_published_entries(
    session: AsyncSession, q: str, filters: EntryFilter, paging: Paging
) -> KeysetPage[SearchHit]:
    """Published entries matching `q` (web-search syntax), best match first.

    Ranked with `ts_rank_cd` over the weighted `search` column; pages continue after
    (rank, id), like any keyset, so a page costs the same wherever it is.
    """
    query = sa.func.websearch_to_tsquery(sa.literal(SEARCH_CONFIG, REGCONFIG), q)
    rank = sa.func.ts_rank_cd(SEARCH_VECTOR, query, type_=sa.REAL)
    snippet = sa.func.ts_headline(
        sa.literal(SEARCH_CONFIG, REGCONFIG), col(DipEntry.summary), query, type_=sa.Text
    )
    stmt = _where(sa.select(DipEntry, rank.label("rank"), snippet.label("snippet")), filters)
    stmt = stmt.where(col(DipEntry.status) == DipStatus.PUBLISHED, SEARCH_VECTOR.op("@@")(query))
    if paging.cursor is not None:
        after_rank, after_id = _rank_position(paging.codec, paging.cursor)
        stmt = stmt.where(
            sa.tuple_(rank, col(DipEntry.id))
            < sa.tuple_(sa.literal(after_rank, sa.REAL), sa.literal(after_id, sa.Uuid))
        )
    stmt = stmt.order_by(rank.desc(), col(DipEntry.id).desc()).limit(paging.limit + 1)
    rows = (await session.execute(stmt)).all()
    hits = [SearchHit(row[0], float(row[1]), str(row[2])) for row in rows[: paging.limit]]
    more = len(rows) > paging.limit
    return KeysetPage(hits, _rank_cursor(paging.codec, hits[-1]) if more else None)


async def get_published_entry(session: AsyncSession, entry_id: uuid.UUID) -> DipEntry | None:
    stmt = sa.select(DipEntry).where(
        col(DipEntry.id) == entry_id, col(DipEntry.status) == DipStatus.PUBLISHED
    )
    return (await session.scalars(stmt)).one_or_none()


async def get_entry(
    session: AsyncSession, entry_id: uuid.UUID, *, lock: bool = False
) -> DipEntry | None:
    """An entry in any status; `lock`: `FOR UPDATE` until the transaction ends (writes)."""
    stmt = sa.select(DipEntry).where(col(DipEntry.id) == entry_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def number_taken(
    session: AsyncSession, root_id: uuid.UUID, number: str, *, besides: uuid.UUID | None = None
) -> bool:
    stmt = sa.select(col(DipEntry.id)).where(
        col(DipEntry.root_id) == root_id, col(DipEntry.number) == number
    )
    if besides is not None:
        stmt = stmt.where(col(DipEntry.id) != besides)
    return (await session.scalars(stmt.limit(1))).first() is not None


async def add_entry(session: AsyncSession, entry: DipEntry) -> DipEntry:
    """Stage a new entry; its server defaults (timestamps) are loaded after the flush."""
    return await add_and_refresh(session, entry)


async def add_version(session: AsyncSession, version: DipEntryVersion) -> DipEntryVersion:
    return await add_and_refresh(session, version)


async def versions_of(session: AsyncSession, entry_id: uuid.UUID) -> Sequence[DipEntryVersion]:
    """An entry's versions, oldest first."""
    stmt = (
        sa.select(DipEntryVersion)
        .where(col(DipEntryVersion.entry_id) == entry_id)
        .order_by(col(DipEntryVersion.version))
    )
    return (await session.scalars(stmt)).all()


async def get_policy(
    session: AsyncSession, root_id: uuid.UUID, *, lock: bool = False
) -> DipPolicy | None:
    stmt = sa.select(DipPolicy).where(col(DipPolicy.root_id) == root_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


def select_decrees(root: uuid.UUID | None) -> sa.Select[DipDecree]:
    return sa.select(DipDecree).where(*equal_where_given((col(DipDecree.root_id), root)))


async def get_decree(
    session: AsyncSession, root_id: uuid.UUID, year: int, *, lock: bool = False
) -> DipDecree | None:
    stmt = sa.select(DipDecree).where(
        col(DipDecree.root_id) == root_id, col(DipDecree.year) == year
    )
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()
