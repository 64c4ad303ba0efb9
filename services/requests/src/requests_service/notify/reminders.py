"""Deadline reminders to the handling unit's PPID office (UU Pasal 22(7)/(8); issue 5).

`settings.reminder_working_days` working days before the written notice is due (D10,
or D17 once extended), counted on the root's calendar, an email goes to the handling
unit's public PPID address (`contact_email` in auth's unit tree), else the root's.
Each (request, deadline, due date) is reminded once: its row in `deadline_reminders`
is inserted with `ON CONFLICT DO NOTHING` in the transaction that queues the email,
so several replicas running `remind_once` side by side send it once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ppid_kit.background import reraise_if_cancelled
from ppid_kit.outbox import enqueue_email
from ppid_kit.unit_tree import UnitTree, UnitTreeCache
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from requests_service.calendar.clock import CalendarError, WorkCalendar
from requests_service.calendar.service import load_calendar
from requests_service.core.models import InformationRequest
from requests_service.notify import repository
from requests_service.notify.models import ReminderKind
from requests_service.notify.officials import reminder_email
from requests_service.settings import RequestsSettings

_log = logging.getLogger("requests_service.notify.reminders")


@dataclass(frozen=True)
class Due:
    """One deadline of a request that is near: which, when, and how many working days left."""

    kind: ReminderKind
    day: dt.date
    working_days_left: int


def due_reminder(
    request: InformationRequest, calendar: WorkCalendar, working_days: int, now: dt.datetime
) -> Due | None:
    """The deadline to remind of now, if its reminder day has come and it is not over."""
    if request.extended_due is not None:
        kind, day = ReminderKind.EXTENDED_NOTICE, request.extended_due
    else:
        kind, day = ReminderKind.NOTICE, request.notice_due
    today = now.astimezone(ZoneInfo(request.time_zone)).date()
    if not calendar.subtract_working_days(day, working_days) <= today <= day:
        return None
    return Due(kind, day, calendar.working_days_between(today, day))


def office_address(tree: UnitTree, request: InformationRequest) -> tuple[uuid.UUID, str] | None:
    """The handling unit's PPID office address, else its root's (public contact data)."""
    for unit_id in (request.unit_id, request.root_id):
        if unit_id in tree and tree.node(unit_id).contact_email:
            return unit_id, str(tree.node(unit_id).contact_email)
    return None


async def _calendar(
    session: AsyncSession, cache: dict[uuid.UUID, WorkCalendar], request: InformationRequest
) -> WorkCalendar:
    if request.root_id not in cache:
        cache[request.root_id] = await load_calendar(
            session, request.root_id, time_zone=request.time_zone
        )
    return cache[request.root_id]


async def _near(
    engine: AsyncEngine, working_days: int, now: dt.datetime
) -> list[tuple[InformationRequest, Due]]:
    """The requests whose reminder day has come, with their deadline."""
    calendars: dict[uuid.UUID, WorkCalendar] = {}
    found: list[tuple[InformationRequest, Due]] = []
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        # Every zone of Indonesia is ahead of UTC: yesterday in UTC is early enough.
        not_before = now.astimezone(dt.UTC).date() - dt.timedelta(days=1)
        for request in await repository.reminder_candidates(session, not_before):
            try:
                due = due_reminder(
                    request, await _calendar(session, calendars, request), working_days, now
                )
            except CalendarError:
                _log.warning("broken calendar", extra={"root_id": str(request.root_id)})
                continue
            if due is not None:
                found.append((request, due))
    return found


async def _remind(
    engine: AsyncEngine, tree: UnitTree, request: InformationRequest, due: Due
) -> bool:
    """Queue one reminder with its row, in one transaction; False when there was nothing to do."""
    address = office_address(tree, request)
    if address is None:
        # No personal data here: ids only. The unit's contact is set in auth's directory.
        _log.warning(
            "deadline reminder skipped: no PPID contact address for the unit or its root",
            extra={"request_id": str(request.id), "unit_id": str(request.unit_id)},
        )
        return False
    addressed_unit_id, to = address
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        current = await repository.lock_pending(session, request.id)
        if current is None or current.unit_id != request.unit_id:
            return False  # the notice went out (or the request moved) since the scan
        claimed = await repository.claim_reminder(
            session,
            request_id=request.id,
            kind=due.kind,
            due_date=due.day,
            unit_id=request.unit_id,
            addressed_unit_id=addressed_unit_id,
        )
        if not claimed:
            return False
        email = reminder_email(request, due.kind, due.day, due.working_days_left, tree)
        await enqueue_email(session, to=to, subject=email.subject, text=email.text, html=email.html)
    return True


async def remind_once(
    engine: AsyncEngine, settings: RequestsSettings, tree: UnitTree, now: dt.datetime
) -> int:
    """One pass (the worker's, a CLI's, a test's): how many reminders were queued."""
    queued = 0
    for request, due in await _near(engine, settings.reminder_working_days, now):
        queued += await _remind(engine, tree, request, due)
    if queued:
        _log.info("deadline reminders queued", extra={"count": queued})
    return queued


async def run_reminders(
    engine: AsyncEngine, settings: RequestsSettings, trees: UnitTreeCache
) -> None:
    """A pass every `reminder_interval_seconds`; an outage is logged and retried, never fatal."""
    while True:
        try:
            tree = await trees.get()
            await remind_once(engine, settings, tree, dt.datetime.now(dt.UTC))
        except Exception as exc:  # auth or the database away: try again next interval
            reraise_if_cancelled(exc)
            _log.warning("reminder pass failed", extra={"error": type(exc).__name__})
        await asyncio.sleep(settings.reminder_interval_seconds)
