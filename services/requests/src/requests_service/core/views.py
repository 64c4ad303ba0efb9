"""What a request looks like in responses: no personal data outside the officials' views.

`RequestView` is what the requester (account or tracking secret) and officials see:
state, history, deadlines in the root's time zone, delivered files. Identity fields
are never in it (DOMAIN.md 17 rule 3); officials read them through the audited
identity endpoint.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, Self
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from ppid_kit.cursor import next_link
from ppid_kit.etag import etag_for, json_with_etag, not_modified
from ppid_kit.models import PublicModel
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core import repository
from requests_service.core.models import (
    NOTICE_PENDING_STATES,
    AccessMethod,
    ActorType,
    Channel,
    CopyFormat,
    DeliveryMethod,
    InformationRequest,
    NoticeOutcome,
    RequesterCategory,
    RequestFile,
    RequestFileKind,
    RequestState,
)


def end_of_day(day: dt.date, time_zone: str) -> dt.datetime:
    """The instant a deadline day ends: the next local midnight (DOMAIN.md 14.2)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo(time_zone))


def effective_notice_due(request: InformationRequest) -> dt.date:
    """D17 once extended (UU Pasal 22(8)), else D10 (UU Pasal 22(7))."""
    return request.extended_due or request.notice_due


def delivery_due(request: InformationRequest) -> dt.date | None:
    """The promised delivery date (DOMAIN.md 9.3), once a notice granted something."""
    return request.promised_delivery_date


def is_notice_overdue(request: InformationRequest, now: dt.datetime) -> bool:
    """No notice by the (extended) deadline: objection reasons (c)/(g) (DOMAIN.md 9.1)."""
    due = end_of_day(effective_notice_due(request), request.time_zone)
    sent = request.notice_sent_at
    if sent is not None:
        return sent >= due
    return request.state in NOTICE_PENDING_STATES and now >= due


def is_delivery_overdue(request: InformationRequest, now: dt.datetime) -> bool:
    """Delivery beyond what the notice promised: objection reason (g) (SLIP 39(1)(g))."""
    due_day = delivery_due(request)
    if due_day is None:
        return False
    due = end_of_day(due_day, request.time_zone)
    if request.delivered_at is not None:
        return request.delivered_at >= due
    return request.state in {RequestState.NOTICE_SENT, RequestState.AWAITING_PAYMENT} and now >= due


class Deadlines(PublicModel):
    """The legal clock, as stored when computed (dates in the root's time zone)."""

    time_zone: str = Field(description="The root's zone, e.g. `Asia/Jakarta`.")
    received_at: dt.datetime = Field(description="Receipt, in the root's time zone.")
    receipt_date: dt.date = Field(description="Day 0 of the count (DOMAIN.md 14.2).")
    notice_due: dt.date = Field(description="D10, UU Pasal 22(7).")
    extended_due: dt.date | None = Field(description="D17 when extended, UU Pasal 22(8).")
    effective_notice_due: dt.date
    notice_due_at: dt.datetime = Field(description="When the notice deadline ends.")
    promised_delivery_date: dt.date | None
    calendar_version: int = Field(description="The calendar version they were computed with.")
    overdue_notice: bool
    overdue_delivery: bool


def deadlines_of(request: InformationRequest, now: dt.datetime | None = None) -> Deadlines:
    now = now or dt.datetime.now(dt.UTC)
    zone = ZoneInfo(request.time_zone)
    due = effective_notice_due(request)
    return Deadlines(
        time_zone=request.time_zone,
        received_at=request.received_at.astimezone(zone),
        receipt_date=request.receipt_date,
        notice_due=request.notice_due,
        extended_due=request.extended_due,
        effective_notice_due=due,
        notice_due_at=end_of_day(due, request.time_zone),
        promised_delivery_date=request.promised_delivery_date,
        calendar_version=request.calendar_version,
        overdue_notice=is_notice_overdue(request, now),
        overdue_delivery=is_delivery_overdue(request, now),
    )


class EventRecord(Protocol):
    """A stored history step (`RequestEvent`, `ObjectionEvent`): what its view reads."""

    @property
    def version(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def from_state(self) -> str | None: ...
    @property
    def to_state(self) -> str: ...
    @property
    def actor_type(self) -> ActorType: ...
    @property
    def actor_role(self) -> str | None: ...
    @property
    def note(self) -> str | None: ...
    @property
    def created_at(self) -> dt.datetime: ...


class EventPublic(PublicModel):
    """One step of a history (a request's, an objection's): the actor's role, never who
    they are. Each history names its own subclass, so the OpenAPI schemas keep their names."""

    version: int
    action: str
    from_state: str | None
    to_state: str
    actor_type: str
    actor_role: str | None
    note: str | None
    created_at: dt.datetime

    @classmethod
    def of(cls, event: EventRecord) -> Self:
        return cls(
            version=event.version,
            action=event.action,
            from_state=event.from_state,
            to_state=event.to_state,
            actor_type=str(event.actor_type),
            actor_role=event.actor_role,
            note=event.note,
            created_at=event.created_at,
        )


class RequestEventPublic(EventPublic):
    """One step of the history; the actor's role, never who they are."""


class RequestFilePublic(PublicModel):
    """A file of the request: delivered information, or (officials only) attachments."""

    id: uuid.UUID
    kind: RequestFileKind
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: dt.datetime
    url: str = Field(description="Where to download it (the same access rules apply).")

    @classmethod
    def of(cls, file: RequestFile) -> RequestFilePublic:
        return cls(
            id=file.id,
            kind=file.kind,
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
            created_at=file.created_at,
            url=f"/v1/requests/{file.request_id}/files/{file.id}/content",
        )


class RequestView(PublicModel):
    """A request as its requester and the handling officials see it (no personal data)."""

    id: uuid.UUID
    registration_number: str
    root_id: uuid.UUID
    target_unit_id: uuid.UUID
    unit_id: uuid.UUID
    channel: Channel
    requester_category: RequesterCategory
    information_requested: str
    purpose: str
    access_method: AccessMethod
    copy_format: CopyFormat | None
    delivery_method: DeliveryMethod
    state: RequestState
    notice_outcome: NoticeOutcome | None
    deadlines: Deadlines
    fee_total: int = Field(description="Fees stated in the notice, in rupiah (DOMAIN.md 12).")
    paid_at: dt.datetime | None
    delivered_at: dt.datetime | None
    delivered_via: DeliveryMethod | None
    closed_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    history: list[RequestEventPublic]
    files: list[RequestFilePublic] = Field(
        description="Delivered information; officials also see the attachments."
    )
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


def request_etag(request: InformationRequest, now: dt.datetime | None = None) -> str:
    """The ETag of a request (views, actions, If-Match): its id, its version and its
    overdue flags, which change with time alone (a cached view must not keep them)."""
    now = now or dt.datetime.now(dt.UTC)
    flags = f"{int(is_notice_overdue(request, now))}{int(is_delivery_overdue(request, now))}"
    return etag_for(f"information-request:{request.id}:{request.version}:{flags}")


async def request_view(
    session: AsyncSession, request: InformationRequest, *, official: bool
) -> RequestView:
    """The view of `request`: with every live file for officials, delivered ones otherwise."""
    events = await repository.history(session, request.id)
    kinds = None if official else frozenset({RequestFileKind.DELIVERED})
    files = await repository.files(session, request.id, kinds)
    fields: dict[str, Any] = {
        name: getattr(request, name)
        for name in RequestView.model_fields
        if name not in {"deadlines", "history", "files"}
    }
    return RequestView(
        **fields,
        deadlines=deadlines_of(request),
        history=[RequestEventPublic.of(event) for event in events],
        files=[RequestFilePublic.of(file) for file in files],
    )


def page_response(
    request: Request,
    items: Sequence[BaseModel],
    next_cursor: str | None,
    *,
    cache_control: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """One keyset page as `{items, next_cursor}`, with its ETag and, when there is more,
    an RFC 8288 `Link` to the next page (every list of the service answers so)."""
    content = {
        "items": [item.model_dump(mode="json") for item in items],
        "next_cursor": next_cursor,
    }
    link = {"Link": next_link(request, next_cursor)} if next_cursor else {}
    return json_with_etag(
        request, content, cache_control=cache_control, headers={**link, **(headers or {})}
    )


def not_modified_with(request: Request, headers: Mapping[str, str]) -> Response | None:
    """304 when the caller holds `headers["ETag"]` already, repeating `headers` (ETag,
    Cache-Control, Vary: RFC 9110 15.4.5); None when the full answer must be built."""
    cached = not_modified(request, headers["ETag"])
    if cached is not None:
        cached.headers.update(headers)
    return cached
