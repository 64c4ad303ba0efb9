"""The explicit recalculation of stored deadlines after a calendar change (DOMAIN.md 14.3).

A stored deadline changes only here, on an admin's or the PPID Utama's request, with a
reason: each request whose dates move gets a history event (and its audit record)
through `core.history.record_event`.
"""

from __future__ import annotations

import uuid

from ppid_kit.access import Actor
from ppid_kit.audit import write_audit
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.calendar import repository
from requests_service.calendar.clock import (
    EXTENSION_WORKING_DAYS,
    NOTICE_WORKING_DAYS,
    WorkCalendar,
)
from requests_service.calendar.schemas import ClockDates, RecalculatedRequest, Recalculation
from requests_service.calendar.service import load_calendar
from requests_service.core.history import record_event
from requests_service.core.models import ActorType, InformationRequest


def stored_dates(request: InformationRequest) -> ClockDates:
    return ClockDates(
        receipt_date=request.receipt_date,
        notice_due=request.notice_due,
        extended_due=request.extended_due,
        time_zone=request.time_zone,
        calendar_version=request.calendar_version,
    )


def recomputed_dates(request: InformationRequest, calendar: WorkCalendar) -> ClockDates:
    """D10 from receipt (UU Pasal 22(7)); D17 = D10 + 7 working days once extended (22(8))."""
    receipt = calendar.receipt_date(request.received_at)
    notice_due = calendar.add_working_days(receipt, NOTICE_WORKING_DAYS)
    extended_due = None
    if request.extended_due is not None:
        extended_due = calendar.add_working_days(notice_due, EXTENSION_WORKING_DAYS)
    return ClockDates(
        receipt_date=receipt,
        notice_due=notice_due,
        extended_due=extended_due,
        time_zone=calendar.time_zone,
        calendar_version=calendar.version,
    )


def _same_clock(old: ClockDates, new: ClockDates) -> bool:
    return old.model_dump(exclude={"calendar_version"}) == new.model_dump(
        exclude={"calendar_version"}
    )


def _event_details(old: ClockDates, new: ClockDates) -> dict[str, str | int | None]:
    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return {
        "old_notice_due": text(old.notice_due),
        "new_notice_due": text(new.notice_due),
        "old_extended_due": text(old.extended_due),
        "new_extended_due": text(new.extended_due),
        "old_receipt_date": text(old.receipt_date),
        "new_receipt_date": text(new.receipt_date),
        "old_calendar_version": old.calendar_version,
        "new_calendar_version": new.calendar_version,
    }


async def _move(
    session: AsyncSession,
    request: InformationRequest,
    new: ClockDates,
    actor: Actor,
    reason: str,
) -> RecalculatedRequest:
    old = stored_dates(request)
    request.receipt_date = new.receipt_date
    request.notice_due = new.notice_due
    request.extended_due = new.extended_due
    request.time_zone = new.time_zone
    request.calendar_version = new.calendar_version
    await record_event(
        session,
        request,
        action="recalculate",
        to_state=request.state,
        actor=actor,
        actor_type=ActorType.OFFICIAL,
        note=reason,
        details=_event_details(old, new),
    )
    return RecalculatedRequest(
        id=request.id,
        registration_number=request.registration_number,
        state=str(request.state),
        old=old,
        new=new,
    )


async def recalculate(
    session: AsyncSession,
    root_id: uuid.UUID,
    *,
    reason: str,
    actor: Actor,
    time_zone: str | None,
) -> Recalculation:
    """Bring the root's requests awaiting their notice to the current calendar version."""
    await repository.lock_calendar(session, root_id)
    calendar = await load_calendar(session, root_id, time_zone=time_zone)
    stale = await repository.requests_awaiting_notice(session, root_id, calendar.version)
    changed: list[RecalculatedRequest] = []
    for request in stale:
        new = recomputed_dates(request, calendar)
        if _same_clock(stored_dates(request), new):
            # Same dates: no event, but the view shows the version (a new ETag).
            request.calendar_version = calendar.version
            request.version += 1
            session.add(request)
        else:
            changed.append(await _move(session, request, new, actor, reason))
    await session.flush()
    result = Recalculation(
        root_id=root_id,
        calendar_version=calendar.version,
        checked=len(stale),
        changed=changed,
        version_only=len(stale) - len(changed),
    )
    await write_audit(
        session,
        action="calendar.recalculate",
        object_type="calendar",
        object_id=root_id,
        actor_id=actor.user_id,
        actor_type=f"official:{actor.role}",
        unit_id=root_id,
        details={
            "reason": reason,
            "calendar_version": calendar.version,
            "checked": result.checked,
            "changed": [str(item.id) for item in changed],
            "version_only": result.version_only,
        },
    )
    return result
