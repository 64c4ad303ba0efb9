"""What an objection looks like in responses: no personal data in any of them.

`ObjectionView` is what the filer (account or tracking secret) and the officials of the
unit see: grounds, the legal clock in the root's time zone (UU Pasal 36(1), 36(2), 37(2)),
state, the public history and, once decided, the Atasan's response (DOMAIN.md 10.6).
The objector's identity is read only through the audited identity endpoint.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from ppid_kit.etag import etag_for
from ppid_kit.models import PublicModel
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core.models import Channel, InformationRequest
from requests_service.core.views import EventPublic, end_of_day
from requests_service.objections import repository
from requests_service.objections.models import (
    RESPONSE_PENDING_STATES,
    Objection,
    ObjectionDecision,
    ObjectionState,
    RequesterReaction,
)


def is_response_overdue(objection: Objection, now: dt.datetime | None = None) -> bool:
    """No written response by the end of D30 (UU Pasal 36(2)); the requester may then go
    to the Komisi Informasi (DOMAIN.md 10.7)."""
    now = now or dt.datetime.now(dt.UTC)
    return objection.state in RESPONSE_PENDING_STATES and now >= end_of_day(
        objection.response_due, objection.time_zone
    )


class ObjectionDeadlines(PublicModel):
    """The legal clock as stored when computed (dates in the root's time zone)."""

    time_zone: str
    received_at: dt.datetime = Field(description="Receipt, in the root's time zone.")
    receipt_date: dt.date = Field(description="Day 0 of the count (DOMAIN.md 14.2).")
    reason_discovered_on: dt.date
    filing_due: dt.date = Field(description="reason_discovered_on + 30 WD (UU Pasal 36(1)).")
    filed_late: bool = Field(description="Filed after `filing_due`: recorded, never blocking.")
    response_due: dt.date = Field(description="D30 of the Atasan's response (UU Pasal 36(2)).")
    response_due_at: dt.datetime = Field(description="When the response deadline ends.")
    response_overdue: bool
    dispute_due: dt.date | None = Field(description="response_date + 14 WD (UU Pasal 37(2)).")
    calendar_version: int


class ObjectionEventPublic(EventPublic):
    """One step of the history: the actor's role, never who they are."""


class ObjectionResponseView(PublicModel):
    """The Atasan PPID's written response (DOMAIN.md 10.6)."""

    response_number: str
    response_date: dt.date
    decision: ObjectionDecision
    objection_summary: str | None
    decision_reasons: str | None
    order_text: str | None
    order_due: dt.date | None
    atasan_name: str | None
    atasan_position: str | None
    dispute_due: dt.date | None
    decided_at: dt.datetime | None


class ObjectionView(PublicModel):
    """An objection as its filer and the unit's officials see it (no personal data)."""

    id: uuid.UUID
    objection_number: str
    root_id: uuid.UUID
    unit_id: uuid.UUID
    request_id: uuid.UUID | None
    request_number: str | None = Field(description="The request's registration number.")
    channel: Channel
    by_agent: bool
    reasons: list[str] = Field(description="UU Pasal 35(1) a-g.")
    purpose: str
    case_position: str
    state: ObjectionState
    deadlines: ObjectionDeadlines
    forwarded_at: dt.datetime | None
    consultation_at: dt.datetime | None
    response: ObjectionResponseView | None = Field(description="Once the Atasan decided.")
    order_executed_at: dt.datetime | None
    order_execution_note: str | None
    requester_reaction: RequesterReaction | None
    settled_at: dt.datetime | None
    escalated_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    history: list[ObjectionEventPublic]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


def deadlines_of(objection: Objection, now: dt.datetime | None = None) -> ObjectionDeadlines:
    return ObjectionDeadlines(
        time_zone=objection.time_zone,
        received_at=objection.received_at.astimezone(ZoneInfo(objection.time_zone)),
        receipt_date=objection.receipt_date,
        reason_discovered_on=objection.reason_discovered_on,
        filing_due=objection.filing_due,
        filed_late=objection.filed_late,
        response_due=objection.response_due,
        response_due_at=end_of_day(objection.response_due, objection.time_zone),
        response_overdue=is_response_overdue(objection, now),
        dispute_due=objection.dispute_due,
        calendar_version=objection.calendar_version,
    )


def response_of(objection: Objection) -> ObjectionResponseView | None:
    """The Atasan's response, or None before the decision."""
    if (
        objection.decision is None
        or objection.response_number is None
        or objection.response_date is None
    ):
        return None
    return ObjectionResponseView(
        response_number=objection.response_number,
        response_date=objection.response_date,
        decision=objection.decision,
        objection_summary=objection.objection_summary,
        decision_reasons=objection.decision_reasons,
        order_text=objection.order_text,
        order_due=objection.order_due,
        atasan_name=objection.atasan_name,
        atasan_position=objection.atasan_position,
        dispute_due=objection.dispute_due,
        decided_at=objection.decided_at,
    )


def objection_etag(objection: Objection, now: dt.datetime | None = None) -> str:
    """Its id, version and overdue flag (which changes with time alone)."""
    flag = int(is_response_overdue(objection, now))
    return etag_for(f"objection:{objection.id}:{objection.version}:{flag}")


async def request_number(session: AsyncSession, objection: Objection) -> str | None:
    if objection.request_id is None:
        return None
    found = await session.get(InformationRequest, objection.request_id)
    return None if found is None else found.registration_number


async def objection_view(session: AsyncSession, objection: Objection) -> ObjectionView:
    """The public view of `objection` (the same for the filer and the officials)."""
    events = await repository.history(session, objection.id)
    return ObjectionView(
        id=objection.id,
        objection_number=objection.objection_number,
        root_id=objection.root_id,
        unit_id=objection.unit_id,
        request_id=objection.request_id,
        request_number=await request_number(session, objection),
        channel=objection.channel,
        by_agent=objection.by_agent,
        reasons=sorted(objection.reasons),
        purpose=objection.purpose,
        case_position=objection.case_position,
        state=objection.state,
        deadlines=deadlines_of(objection),
        forwarded_at=objection.forwarded_at,
        consultation_at=objection.consultation_at,
        response=response_of(objection),
        order_executed_at=objection.order_executed_at,
        order_execution_note=objection.order_execution_note,
        requester_reaction=objection.requester_reaction,
        settled_at=objection.settled_at,
        escalated_at=objection.escalated_at,
        withdrawn_at=objection.withdrawn_at,
        history=[ObjectionEventPublic.of(event) for event in events],
        version=objection.version,
        created_at=objection.created_at,
        updated_at=objection.updated_at,
    )
