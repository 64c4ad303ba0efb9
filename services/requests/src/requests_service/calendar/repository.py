"""Queries on calendar days and on the requests a recalculation moves.

Never commits: the request's transaction does (STYLE.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ppid_kit.db import add_and_refresh
from ppid_kit.paging import Keyset
from ppid_kit.query import equal_where_given
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.calendar.models import CalendarDay, CalendarDayKind, CalendarDayRemoval
from requests_service.core.models import NOTICE_PENDING_STATES, InformationRequest

# The calendar's order; ix_calendar_days_date_id and ix_calendar_days_root_id_date_id serve it.
BY_DATE = Keyset(CalendarDay, "date", "id")


@dataclass(frozen=True)
class DayFilter:
    root: uuid.UUID | None = None
    year: int | None = None
    kind: CalendarDayKind | None = None


def select_days(filters: DayFilter) -> sa.Select[CalendarDay]:
    """The days that pass `filters`, in no order yet: `keyset_page` pages them."""
    given = ((col(CalendarDay.root_id), filters.root), (col(CalendarDay.kind), filters.kind))
    stmt = sa.select(CalendarDay).where(*equal_where_given(*given))
    if filters.year is not None:
        # A range, not EXTRACT(year …), so the (root_id, date, id) index serves it.
        stmt = stmt.where(
            col(CalendarDay.date) >= dt.date(filters.year, 1, 1),
            col(CalendarDay.date) < dt.date(filters.year + 1, 1, 1),
        )
    return stmt


async def add_day(session: AsyncSession, day: CalendarDay) -> CalendarDay:
    """Stage a new day; its server default (created_at) is loaded after the flush."""
    return await add_and_refresh(session, day)


def _lock_key(root_id: uuid.UUID) -> int:
    """A signed 64-bit advisory-lock key for one root's calendar."""
    digest = hashlib.sha256(b"terbuka:calendar:" + root_id.bytes).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def lock_calendar(session: AsyncSession, root_id: uuid.UUID) -> None:
    """Serialise every change of one root's calendar until the transaction ends (no row
    needs to exist: a root without a policy has none yet)."""
    await session.execute(sa.select(sa.func.pg_advisory_xact_lock(_lock_key(root_id))))


async def get_day(
    session: AsyncSession, root_id: uuid.UUID, day_id: uuid.UUID
) -> CalendarDay | None:
    day = await session.get(CalendarDay, day_id)
    return day if day is not None and day.root_id == root_id else None


async def find_day(
    session: AsyncSession, root_id: uuid.UUID, date: dt.date, kind: CalendarDayKind
) -> CalendarDay | None:
    stmt = sa.select(CalendarDay).where(
        col(CalendarDay.root_id) == root_id,
        col(CalendarDay.date) == date,
        col(CalendarDay.kind) == kind,
    )
    return (await session.execute(stmt)).scalar_one_or_none()


def _in_year(column: Any, year: int) -> list[sa.ColumnElement[bool]]:
    return [column >= dt.date(year, 1, 1), column < dt.date(year + 1, 1, 1)]


async def days_of_year(
    session: AsyncSession, root_id: uuid.UUID, year: int, kinds: Collection[CalendarDayKind]
) -> list[CalendarDay]:
    stmt = (
        sa.select(CalendarDay)
        .where(col(CalendarDay.root_id) == root_id, col(CalendarDay.kind).in_(list(kinds)))
        .where(*_in_year(col(CalendarDay.date), year))
        .order_by(col(CalendarDay.date), col(CalendarDay.kind))
    )
    return list((await session.execute(stmt)).scalars())


async def removals_of_year(
    session: AsyncSession, root_id: uuid.UUID, year: int
) -> set[tuple[dt.date, CalendarDayKind]]:
    stmt = sa.select(col(CalendarDayRemoval.date), col(CalendarDayRemoval.kind)).where(
        col(CalendarDayRemoval.root_id) == root_id, *_in_year(col(CalendarDayRemoval.date), year)
    )
    return {(date, CalendarDayKind(kind)) for date, kind in (await session.execute(stmt)).all()}


async def remember_removal(
    session: AsyncSession, root_id: uuid.UUID, date: dt.date, kind: CalendarDayKind
) -> None:
    """An admin took (date, kind) out of the calendar: a seed must not add it back."""
    stmt = (
        pg_insert(CalendarDayRemoval)
        .values(root_id=root_id, date=date, kind=kind)
        .on_conflict_do_nothing()
    )
    await session.execute(stmt)


async def forget_removal(
    session: AsyncSession, root_id: uuid.UUID, date: dt.date, kind: CalendarDayKind
) -> None:
    """(date, kind) is in the calendar again: nothing to keep out any more."""
    await session.execute(
        sa.delete(CalendarDayRemoval).where(
            col(CalendarDayRemoval.root_id) == root_id,
            col(CalendarDayRemoval.date) == date,
            col(CalendarDayRemoval.kind) == kind,
        )
    )


async def requests_awaiting_notice(
    session: AsyncSession, root_id: uuid.UUID, other_than_version: int
) -> list[InformationRequest]:
    """The root's requests before their written notice whose deadlines were computed with
    another calendar version, locked for the recalculation, oldest first."""
    stmt = (
        sa.select(InformationRequest)
        .where(
            col(InformationRequest.root_id) == root_id,
            col(InformationRequest.state).in_(sorted(NOTICE_PENDING_STATES)),
            col(InformationRequest.calendar_version) != other_than_version,
        )
        .order_by(col(InformationRequest.received_at), col(InformationRequest.id))
        .with_for_update()
    )
    return list((await session.execute(stmt)).scalars())
