"""The legal clock at receipt (DOMAIN.md 9.3, 14): the receipt date and D10 from the root's
calendar, stored with the calendar's version and the root's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import httpx
from requests_service.calendar.clock import WorkCalendar
from requests_service.calendar.models import CalendarDay, CalendarDayKind, CalendarPolicy
from requests_service.calendar.service import load_calendar

from tests.requests.harness import ROOT_ID, Minter, official
from tests.requests.support import form, submit
from tests.services.support import database_session, rows

JAKARTA = ZoneInfo("Asia/Jakarta")


async def test_deadlines_without_a_calendar_policy(
    requests_client: httpx.AsyncClient, requests_database: str
) -> None:
    made = await submit(requests_client)
    deadlines = made["deadlines"]
    received = dt.datetime.fromisoformat(deadlines["received_at"])
    async with database_session(requests_database) as session:
        calendar = await load_calendar(session, ROOT_ID, time_zone="Asia/Jakarta")
    assert deadlines["time_zone"] == "Asia/Jakarta"
    assert received.utcoffset() == dt.timedelta(hours=7)
    assert deadlines["calendar_version"] == calendar.version
    assert dt.date.fromisoformat(deadlines["receipt_date"]) == calendar.receipt_date(received)
    notice_due = dt.date.fromisoformat(deadlines["notice_due"])
    assert notice_due == calendar.deadline(received, 10)
    assert dt.datetime.fromisoformat(deadlines["notice_due_at"]) == dt.datetime.combine(
        notice_due + dt.timedelta(days=1), dt.time(0), tzinfo=JAKARTA
    )
    assert deadlines["extended_due"] is None
    assert (deadlines["overdue_notice"], deadlines["overdue_delivery"]) == (False, False)


async def test_closures_move_d10_and_the_version_is_stored(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    today = dt.datetime.now(JAKARTA).date()
    closed = [today + dt.timedelta(days=n) for n in range(1, 8)]
    async with database_session(requests_database) as session:
        before = await load_calendar(session, ROOT_ID, time_zone="Asia/Jakarta")
        session.add(CalendarPolicy(root_id=ROOT_ID, time_zone="Asia/Jakarta", version=7))
        for day in closed:
            session.add(
                CalendarDay(
                    root_id=ROOT_ID,
                    date=day,
                    name="Penutupan kantor (uji)",
                    kind=CalendarDayKind.CLOSURE,
                    source="test",
                )
            )
    letter_day = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    body = form(channel="letter", received_at=letter_day.isoformat())
    made = await submit(requests_client, body, official(minter, "ppid.dinkes"))
    async with database_session(requests_database) as session:
        calendar: WorkCalendar = await load_calendar(session, ROOT_ID)
    assert calendar.version == 7
    received = dt.datetime.fromisoformat(made["deadlines"]["received_at"])
    expected = calendar.deadline(received, 10)
    assert expected > before.deadline(received, 10)
    [row] = await rows(
        requests_database,
        "SELECT receipt_date, notice_due, calendar_version, time_zone FROM "
        "information_requests WHERE id = :id",
        id=made["id"],
    )
    assert (row.notice_due, row.calendar_version, row.time_zone) == (expected, 7, "Asia/Jakarta")
    assert row.receipt_date == calendar.receipt_date(received)
    assert made["deadlines"]["calendar_version"] == 7
