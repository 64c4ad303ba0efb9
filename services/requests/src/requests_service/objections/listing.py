"""Lists of objections: keyset pages, newest received first (API.md; see tracking)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ppid_kit.models import PublicModel
from ppid_kit.paging import Keyset
from ppid_kit.problems import Text
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from requests_service.objections.models import (
    RESPONSE_PENDING_STATES,
    Objection,
    ObjectionDecision,
    ObjectionState,
)
from requests_service.objections.views import is_response_overdue
from requests_service.tracking.repository import end_of_day_in
from requests_service.tracking.routes import readable_units as readable_request_units

NEWEST_FIRST = Keyset(Objection, "received_at", "id", descending=True)
_O = Objection
_MOMENT = sa.DateTime(timezone=True)
_NOT_READER = Text(
    "Anda tidak berwenang membaca keberatan.", "You are not allowed to read objections."
)


@dataclass(frozen=True)
class ObjectionFilter:
    now: dt.datetime
    unit_ids: Collection[uuid.UUID] | None = None
    requester_account_id: uuid.UUID | None = None
    states: Collection[ObjectionState] | None = None
    overdue: bool | None = None
    request_id: uuid.UUID | None = None
    year: int | None = None


def _end_of_day(day: Any) -> ColumnElement[dt.datetime]:
    """`views.is_response_overdue`'s deadline in SQL: local midnight after `day`."""
    return end_of_day_in(day, col(_O.time_zone))


def response_overdue(now: dt.datetime) -> ColumnElement[bool]:
    return sa.and_(
        col(_O.state).in_(RESPONSE_PENDING_STATES),
        sa.literal(now, _MOMENT) >= _end_of_day(col(_O.response_due)),
    )


def conditions(filters: ObjectionFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.unit_ids is not None:
        found.append(col(_O.unit_id).in_(filters.unit_ids))
    if filters.requester_account_id is not None:
        found.append(col(_O.requester_account_id) == filters.requester_account_id)
    if filters.states:
        found.append(col(_O.state).in_(filters.states))
    if filters.overdue is True:
        found.append(response_overdue(filters.now))
    elif filters.overdue is False:
        found.append(sa.not_(response_overdue(filters.now)))
    if filters.request_id is not None:
        found.append(col(_O.request_id) == filters.request_id)
    if filters.year is not None:
        found.append(col(_O.year) == filters.year)
    return found


def select_objections(filters: ObjectionFilter) -> sa.Select[Objection]:
    return sa.select(Objection).where(*conditions(filters))


def readable_units(claims: Claims, tree: UnitTree, unit_id: uuid.UUID | None) -> set[uuid.UUID]:
    """The units the caller's reader roles cover (within `unit_id`'s subtree); 403 for none."""
    units, _ = readable_request_units(claims, tree, unit_id, _NOT_READER)
    return units


class ObjectionListItem(PublicModel):
    """One row of a list: no personal data, no case narrative."""

    id: uuid.UUID
    objection_number: str
    request_id: uuid.UUID | None
    unit_id: uuid.UUID
    reasons: list[str]
    state: ObjectionState
    received_at: dt.datetime
    receipt_date: dt.date
    response_due: dt.date
    response_overdue: bool
    filed_late: bool
    decision: ObjectionDecision | None
    version: int

    @classmethod
    def of(cls, objection: Objection, now: dt.datetime) -> ObjectionListItem:
        return cls(
            id=objection.id,
            objection_number=objection.objection_number,
            request_id=objection.request_id,
            unit_id=objection.unit_id,
            reasons=sorted(objection.reasons),
            state=objection.state,
            received_at=objection.received_at,
            receipt_date=objection.receipt_date,
            response_due=objection.response_due,
            response_overdue=is_response_overdue(objection, now),
            filed_late=objection.filed_late,
            decision=objection.decision,
            version=objection.version,
        )


class ObjectionListPage(PublicModel):
    items: list[ObjectionListItem]
    next_cursor: str | None
