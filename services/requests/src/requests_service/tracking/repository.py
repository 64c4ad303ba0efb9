"""The lists of requests: filters in SQL, keyset order (received_at, id) newest first.

The overdue conditions are `core.views.is_notice_overdue` / `is_delivery_overdue` in
SQL: a deadline day ends at the next local midnight in the request's `time_zone`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ppid_kit.paging import Keyset
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from requests_service.core.models import (
    NOTICE_PENDING_STATES,
    Channel,
    InformationRequest,
    RequesterIdentity,
    RequestState,
)
from requests_service.tracking.schemas import Overdue

NEWEST_FIRST = Keyset(InformationRequest, "received_at", "id", descending=True)
DELIVERY_PENDING_STATES = frozenset({RequestState.NOTICE_SENT, RequestState.AWAITING_PAYMENT})
_R = InformationRequest
_MOMENT = sa.DateTime(timezone=True)


@dataclass(frozen=True)
class RequestFilter:
    """A list's conditions; None: no condition on that field."""

    now: dt.datetime
    unit_ids: Collection[uuid.UUID] | None = None
    requester_account_id: uuid.UUID | None = None
    states: Collection[RequestState] | None = None
    overdue: Overdue | None = None
    root: uuid.UUID | None = None
    channel: Channel | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    nik_hash: str | None = None


def end_of_day_in(day: Any, time_zone: Any) -> ColumnElement[dt.datetime]:
    """`views.end_of_day` in SQL: the local midnight after `day` in the `time_zone` column
    (a request's, an objection's)."""
    midnight = sa.cast(day + sa.literal(1), sa.DateTime())
    return sa.func.timezone(time_zone, midnight, type_=_MOMENT)


def end_of_day(day: Any) -> ColumnElement[dt.datetime]:
    """`end_of_day_in` the request's zone."""
    return end_of_day_in(day, col(_R.time_zone))


def notice_overdue(now: dt.datetime) -> ColumnElement[bool]:
    """`views.is_notice_overdue`: sent late, or still pending past the (extended) deadline."""
    due = end_of_day(sa.func.coalesce(col(_R.extended_due), col(_R.notice_due)))
    sent = col(_R.notice_sent_at)
    return sa.or_(
        sa.and_(sent.is_not(None), sent >= due),
        sa.and_(
            sent.is_(None),
            col(_R.state).in_(NOTICE_PENDING_STATES),
            sa.literal(now, _MOMENT) >= due,
        ),
    )


def delivery_overdue(now: dt.datetime) -> ColumnElement[bool]:
    """`views.is_delivery_overdue`: delivered after, or still owed past, the promised date."""
    promised = col(_R.promised_delivery_date)
    due = end_of_day(promised)
    delivered = col(_R.delivered_at)
    return sa.and_(
        promised.is_not(None),
        sa.or_(
            sa.and_(delivered.is_not(None), delivered >= due),
            sa.and_(
                delivered.is_(None),
                col(_R.state).in_(DELIVERY_PENDING_STATES),
                sa.literal(now, _MOMENT) >= due,
            ),
        ),
    )


def received_day() -> ColumnElement[dt.date]:
    """The local date of receipt in the request's zone."""
    local = sa.func.timezone(col(_R.time_zone), col(_R.received_at), type_=sa.DateTime())
    return sa.cast(local, sa.Date)


def conditions(filters: RequestFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.unit_ids is not None:
        found.append(col(_R.unit_id).in_(filters.unit_ids))
    if filters.requester_account_id is not None:
        found.append(col(_R.requester_account_id) == filters.requester_account_id)
    if filters.states:
        found.append(col(_R.state).in_(filters.states))
    if filters.overdue is Overdue.NOTICE:
        found.append(notice_overdue(filters.now))
    elif filters.overdue is Overdue.DELIVERY:
        found.append(delivery_overdue(filters.now))
    if filters.root is not None:
        found.append(col(_R.root_id) == filters.root)
    if filters.channel is not None:
        found.append(col(_R.channel) == filters.channel)
    if filters.received_from is not None:
        found.append(received_day() >= filters.received_from)
    if filters.received_to is not None:
        found.append(received_day() <= filters.received_to)
    if filters.nik_hash is not None:
        holders = sa.select(col(RequesterIdentity.request_id)).where(
            col(RequesterIdentity.nik_hash) == filters.nik_hash
        )
        found.append(col(_R.id).in_(holders))
    return found


def select_requests(filters: RequestFilter) -> sa.Select[InformationRequest]:
    return sa.select(InformationRequest).where(*conditions(filters))
