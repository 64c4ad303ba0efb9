"""Queries on calendar days. Never commits: the request's transaction does (STYLE.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from ppid_kit.db import add_and_refresh
from ppid_kit.paging import Keyset
from ppid_kit.query import equal_where_given
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.models import CalendarDay, CalendarDayKind

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
