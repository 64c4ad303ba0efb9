"""The overdue filters in SQL agree with `core.views.is_notice_overdue` and
`is_delivery_overdue` on every combination, at the very instant a deadline ends."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import sqlalchemy as sa
from requests_service.core.models import InformationRequest, RequestState
from requests_service.core.views import end_of_day, is_delivery_overdue, is_notice_overdue
from requests_service.tracking.repository import RequestFilter, select_requests
from requests_service.tracking.schemas import Overdue
from sqlmodel import col

from tests.requests.support import new_request
from tests.services.support import database_session

# The end of 10 March 2026 in Jakarta (UTC+7): a deadline ends exactly now.
NOW = dt.datetime(2026, 3, 10, 17, 0, tzinfo=dt.UTC)
ZONES = ("Asia/Jakarta", "Asia/Jayapura")
DAYS = (dt.date(2026, 3, 9), dt.date(2026, 3, 10), dt.date(2026, 3, 11))
STATES = (
    RequestState.RECEIVED,
    RequestState.EXTENDED,
    RequestState.NOTICE_SENT,
    RequestState.AWAITING_PAYMENT,
    RequestState.DELIVERED,
    RequestState.CLOSED,
)
OFFSETS = (None, dt.timedelta(seconds=-1), dt.timedelta(0))


def request(root: uuid.UUID, zone: str, state: RequestState) -> InformationRequest:
    """A row of its own root (the filter is per root), received 20 days before `NOW`."""
    row, _ = new_request(
        root_id=root,
        unit_id=root,
        received_at=NOW - dt.timedelta(days=20),
        receipt_date=dt.date(2026, 2, 18),
        notice_due=DAYS[1],
        time_zone=zone,
        state=state,
    )
    return row


def notice_cases(root: uuid.UUID) -> list[InformationRequest]:
    made = []
    combos = itertools.product(ZONES, DAYS, (None, DAYS[2]), STATES, OFFSETS)
    for zone, due, extended, state, sent in combos:
        row = request(root, zone, state)
        row.notice_due, row.extended_due = due, extended
        row.extension_reason = None if extended is None else "Perlu waktu"
        if sent is not None:
            row.notice_sent_at = end_of_day(extended or due, zone) + sent
        made.append(row)
    return made


def delivery_cases(root: uuid.UUID) -> list[InformationRequest]:
    made = []
    combos = itertools.product(ZONES, (None, *DAYS), STATES, OFFSETS)
    for zone, promised, state, delivered in combos:
        row = request(root, zone, state)
        row.promised_delivery_date = promised
        if delivered is not None and promised is not None:
            row.delivered_at = end_of_day(promised, zone) + delivered
        made.append(row)
    return made


async def test_sql_and_python_agree(requests_database: str) -> None:
    root = uuid.uuid4()
    cases = notice_cases(root)
    cases += delivery_cases(root)
    async with database_session(requests_database) as session:
        session.add_all(cases)
        await session.flush()
        for overdue, predicate in (
            (Overdue.NOTICE, is_notice_overdue),
            (Overdue.DELIVERY, is_delivery_overdue),
        ):
            stmt = select_requests(RequestFilter(now=NOW, overdue=overdue, root=root))
            found = set(
                (
                    await session.execute(stmt.with_only_columns(col(InformationRequest.id)))
                ).scalars()
            )
            expected = {row.id for row in cases if predicate(row, NOW)}
            assert found == expected, overdue
            assert 0 < len(expected) < len(cases)
        total = await session.scalar(
            sa.select(sa.func.count()).where(col(InformationRequest.root_id) == root)
        )
        assert total == len(cases)
