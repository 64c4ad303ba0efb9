"""The service figures of readiness, per handling unit: requests answered on time in the
year, open items past their deadline now, objections answered within 30 working days.

"On time" follows the stored legal clock (`core.views`): the written notice by D10, or
D17 once extended (UU Pasal 22(7), (8); DOMAIN.md 9.3, 11 #2-#3), the information by the
date the notice promised (DOMAIN.md 9.3, 11 #4), the Atasan's response by D30 (UU
Pasal 36(2); DOMAIN.md 10.5, 11 #6). Deadlines end at midnight in the root's zone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

import sqlalchemy as sa
from ppid_kit.models import PublicModel
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.calendar.models import CalendarPolicy
from requests_service.core.models import NOTICE_PENDING_STATES, InformationRequest, RequestState
from requests_service.core.views import (
    delivery_due,
    effective_notice_due,
    end_of_day,
    is_delivery_overdue,
    is_notice_overdue,
)
from requests_service.objections.models import RESPONSE_PENDING_STATES, Objection
from requests_service.statistics.service import Summable, add_counts
from requests_service.workflow.models import FeeSchedule

Received = TypeVar("Received", InformationRequest, Objection)

# A notice was sent; delivery is still owed (DOMAIN.md 9.1).
DELIVERY_PENDING_STATES = frozenset({RequestState.NOTICE_SENT, RequestState.AWAITING_PAYMENT})


class Timing(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    PENDING = "pending"  # not yet due
    NONE = "none"  # no such step (no notice after a withdrawal, no delivery promised)


class RequestFigures(PublicModel):
    """The requests the unit handles, received (receipt date) in the year."""

    received: int = 0
    measured: int = Field(0, description="Whose notice and delivery are decided or late.")
    on_time: int = Field(0, description="Notice and delivery (when promised) both in time.")
    late: int = 0
    pending: int = Field(0, description="Not yet due.")
    on_time_share: float | None = Field(None, description="on_time / measured, 0-1.")
    notice_on_time: int = 0
    notice_late: int = 0
    delivery_on_time: int = 0
    delivery_late: int = 0

    def add(self, other: RequestFigures) -> None:
        add_counts(self, other, skip=frozenset({"on_time_share"}))
        self.on_time_share = share(self.on_time, self.measured)


class ObjectionFigures(PublicModel, Summable):
    """The objections against the unit's decisions, received in the year (UU Pasal 36(2))."""

    received: int = 0
    decided: int = 0
    decided_on_time: int = 0
    decided_late: int = 0
    open_past_due: int = Field(0, description="No decision and past D30.")


class OverdueKind(StrEnum):
    REQUEST_NOTICE = "request_notice"
    REQUEST_DELIVERY = "request_delivery"
    OBJECTION_RESPONSE = "objection_response"


class OverdueItem(PublicModel):
    """An open item past its deadline now: its number, never who filed it."""

    kind: OverdueKind
    id: uuid.UUID
    number: str
    due: dt.date
    link: str


class OverdueFigures(PublicModel, Summable):
    requests: int = 0
    objections: int = 0
    items: list[OverdueItem] = Field(default_factory=list)

    def note(self, item: OverdueItem) -> None:
        """Counts an overdue item under its kind and lists it."""
        if item.kind is OverdueKind.OBJECTION_RESPONSE:
            self.objections += 1
        else:
            self.requests += 1
        self.items.append(item)


@dataclass
class UnitService:
    """The service figures of one handling unit."""

    requests: RequestFigures = field(default_factory=RequestFigures)
    objections: ObjectionFigures = field(default_factory=ObjectionFigures)
    overdue: OverdueFigures = field(default_factory=OverdueFigures)


@dataclass(frozen=True)
class RootSettings:
    """What the root has set: its cost standard (`fee_schedules`) and its calendar policy."""

    cost_standard_updated_at: dt.datetime | None
    calendar_policy_version: int | None
    service_start: dt.time | None
    service_end: dt.time | None


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def notice_timing(request: InformationRequest, now: dt.datetime) -> Timing:
    if request.notice_sent_at is not None:
        return Timing.LATE if is_notice_overdue(request, now) else Timing.ON_TIME
    if request.state in NOTICE_PENDING_STATES:
        return Timing.LATE if is_notice_overdue(request, now) else Timing.PENDING
    return Timing.NONE  # withdrawn or rejected as incomplete before any notice


def delivery_timing(request: InformationRequest, now: dt.datetime) -> Timing:
    if delivery_due(request) is None:
        return Timing.NONE
    if request.delivered_at is not None or request.state in DELIVERY_PENDING_STATES:
        late = is_delivery_overdue(request, now)
        if late:
            return Timing.LATE
        return Timing.ON_TIME if request.delivered_at is not None else Timing.PENDING
    return Timing.NONE  # closed or withdrawn without a delivery


def count_request(figures: RequestFigures, request: InformationRequest, now: dt.datetime) -> None:
    """Add one request received in the year to its unit's figures."""
    figures.received += 1
    notice, delivery = notice_timing(request, now), delivery_timing(request, now)
    figures.notice_on_time += notice is Timing.ON_TIME
    figures.notice_late += notice is Timing.LATE
    figures.delivery_on_time += delivery is Timing.ON_TIME
    figures.delivery_late += delivery is Timing.LATE
    if Timing.LATE in (notice, delivery):
        figures.late += 1
    elif Timing.PENDING in (notice, delivery):
        figures.pending += 1
    elif notice is Timing.ON_TIME:
        figures.on_time += 1
    # Otherwise no notice was owed (withdrawn before it): received, not measured.
    figures.measured = figures.on_time + figures.late
    figures.on_time_share = share(figures.on_time, figures.measured)


def overdue_request(request: InformationRequest, now: dt.datetime) -> OverdueItem | None:
    """The request's missed step, if it is still open past its deadline."""
    link = f"/v1/requests/{request.id}"
    number = request.registration_number
    if request.notice_sent_at is None and request.state in NOTICE_PENDING_STATES:
        if is_notice_overdue(request, now):
            due = effective_notice_due(request)
            return OverdueItem(
                kind=OverdueKind.REQUEST_NOTICE, id=request.id, number=number, due=due, link=link
            )
        return None
    promised = delivery_due(request)
    if promised is not None and request.delivered_at is None and is_delivery_overdue(request, now):
        return OverdueItem(
            kind=OverdueKind.REQUEST_DELIVERY, id=request.id, number=number, due=promised, link=link
        )
    return None


def objection_overdue(objection: Objection, now: dt.datetime) -> bool:
    """No written response and D30 has ended (UU Pasal 36(2))."""
    return (
        objection.decision is None
        and objection.state in RESPONSE_PENDING_STATES
        and now >= end_of_day(objection.response_due, objection.time_zone)
    )


def decided_on_time(objection: Objection) -> bool:
    if objection.decided_at is not None:
        return objection.decided_at < end_of_day(objection.response_due, objection.time_zone)
    return objection.response_date is not None and objection.response_date <= objection.response_due


def count_objection(figures: ObjectionFigures, objection: Objection, now: dt.datetime) -> None:
    figures.received += 1
    if objection.decision is not None:
        figures.decided += 1
        if decided_on_time(objection):
            figures.decided_on_time += 1
        else:
            figures.decided_late += 1
    elif objection_overdue(objection, now):
        figures.open_past_due += 1


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


async def service_figures(
    session: AsyncSession, root_id: uuid.UUID, year: int, now: dt.datetime
) -> dict[uuid.UUID, UnitService]:
    """Per handling unit of the root: the year's requests and objections, and what is
    overdue now (of any year)."""
    units: defaultdict[uuid.UUID, UnitService] = defaultdict(UnitService)
    start, end = _year(year)
    r = InformationRequest
    for request in await _received(session, r, root_id, start, end):
        count_request(units[request.unit_id].requests, request, now)
    open_states = [s.value for s in NOTICE_PENDING_STATES | DELIVERY_PENDING_STATES]
    still_open = await session.scalars(
        sa.select(r)
        .where(col(r.root_id) == root_id, col(r.state).in_(open_states))
        .order_by(col(r.received_at), col(r.id))
    )
    for request in still_open.all():
        item = overdue_request(request, now)
        if item is not None:
            units[request.unit_id].overdue.note(item)
    await _objection_figures(session, root_id, start, end, now, units)
    return units


async def _received(
    session: AsyncSession, model: type[Received], root_id: uuid.UUID, start: dt.date, end: dt.date
) -> Sequence[Received]:
    """The root's requests or objections received (receipt date) from `start` to `end`."""
    day = col(model.receipt_date)
    found = await session.scalars(
        sa.select(model).where(col(model.root_id) == root_id, day >= start, day <= end)
    )
    return found.all()


async def _objection_figures(
    session: AsyncSession,
    root_id: uuid.UUID,
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
    units: defaultdict[uuid.UUID, UnitService],
) -> None:
    o = Objection
    for objection in await _received(session, o, root_id, start, end):
        count_objection(units[objection.unit_id].objections, objection, now)
    pending = [s.value for s in RESPONSE_PENDING_STATES]
    waiting = await session.scalars(
        sa.select(o)
        .where(
            col(o.root_id) == root_id,
            col(o.decision).is_(None),
            col(o.state).in_(pending),
        )
        .order_by(col(o.received_at), col(o.id))
    )
    for objection in waiting.all():
        if objection_overdue(objection, now):
            units[objection.unit_id].overdue.note(
                OverdueItem(
                    kind=OverdueKind.OBJECTION_RESPONSE,
                    id=objection.id,
                    number=objection.objection_number,
                    due=objection.response_due,
                    link=f"/v1/objections/{objection.id}",
                )
            )


async def root_settings(session: AsyncSession, root_id: uuid.UUID) -> RootSettings:
    schedule = await session.get(FeeSchedule, root_id)
    policy = await session.get(CalendarPolicy, root_id)
    return RootSettings(
        cost_standard_updated_at=None if schedule is None else schedule.updated_at,
        calendar_policy_version=None if policy is None else policy.version,
        service_start=None if policy is None else policy.service_start,
        service_end=None if policy is None else policy.service_end,
    )
