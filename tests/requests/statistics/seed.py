"""Requests seeded for the statistics tests, with their notices, decrees, fees and times.

All received on Monday 3 February 2025 at 09:00 in Jakarta (receipt date that day; no
holiday in February 2025 on the default calendar) unless said. Working days to the notice:
10 Feb = 5, 17 Feb = 10, 18 Feb = 11, 3 Mar = 20.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from requests_service.core.models import (
    Channel,
    DeliveryMethod,
    NoticeOutcome,
    RequesterCategory,
    RequestState,
)
from requests_service.workflow.models import ExemptionGround, RefusalDecree, RequestNotice
from sqlalchemy.ext.asyncio import AsyncSession

from tests.requests.harness import DINKES_ID, DISDIK_ID, ROOT_ID
from tests.requests.people import BUDI, SITI, WAYAN, YOHANES
from tests.requests.support import store_request
from tests.services.support import database_session

JAKARTA = ZoneInfo("Asia/Jakarta")
RECEIVED = dt.datetime(2025, 2, 3, 9, 0, tzinfo=JAKARTA)
WD5 = dt.datetime(2025, 2, 10, 10, 0, tzinfo=JAKARTA)
WD10 = dt.datetime(2025, 2, 17, 10, 0, tzinfo=JAKARTA)
WD11 = dt.datetime(2025, 2, 18, 10, 0, tzinfo=JAKARTA)
WD20 = dt.datetime(2025, 3, 3, 10, 0, tzinfo=JAKARTA)
PEOPLE = [SITI, BUDI, WAYAN, YOHANES]
_DECREES = iter(range(1, 100))


async def _notice(
    session: AsyncSession,
    request_id: uuid.UUID,
    outcome: NoticeOutcome,
    at: dt.datetime,
    unit_id: uuid.UUID,
    *,
    ground: ExemptionGround | None = None,
    other_law: str | None = None,
) -> None:
    session.add(
        RequestNotice(
            request_id=request_id,
            outcome=outcome,
            redaction_note="Bagian data pribadi dihitamkan"
            if outcome is NoticeOutcome.GRANTED_PARTIAL
            else None,
            holder_body="Dinas Pendidikan" if outcome is NoticeOutcome.NOT_HELD_FORWARDED else None,
            issuer="Pemerintah Kota Contoh",
            place="Kota Contoh",
            signatory="PPID Pelaksana",
            unit_id=unit_id,
            issued_at=at,
            issued_by_role="ppid_pelaksana",
        )
    )
    await session.flush()
    if ground is not None:
        seq = next(_DECREES)
        session.add(
            RefusalDecree(
                request_id=request_id,
                root_id=ROOT_ID,
                year=2025,
                seq=seq,
                decree_number=f"SK/STAT/{seq}",
                decree_date=at.date(),
                ground=ground,
                ground_text="Pasal 17",
                other_law=other_law,
                consequence_test_id=uuid.uuid4(),
                consequences="Membahayakan",
                objection_due=at.date() + dt.timedelta(days=45),
            )
        )


async def seed(database_url: str) -> None:
    """Dinkes, February 2025: 11 requests; Disdik: one in February, one in July."""
    specs: list[dict[str, Any]] = [
        # name, outcome, notice, extra fields, decree
        {
            "outcome": NoticeOutcome.GRANTED_FULL,
            "at": WD5,
            "fee_total": 2000,
            "paid": "waived",
            "delivered_at": WD10,
        },
        {"outcome": NoticeOutcome.GRANTED_FULL, "at": WD5, "fee_total": 3000, "delivered_at": WD5},
        {"outcome": NoticeOutcome.GRANTED_FULL, "at": WD5, "delivered_at": WD11},
        {
            "outcome": NoticeOutcome.GRANTED_PARTIAL,
            "at": WD11,
            "fee_total": 5000,
            "paid": "cash_at_counter",
            "extended": True,
            "channel": Channel.PHONE,
            "delivery_method": DeliveryMethod.PICKUP,
        },
        {
            "outcome": NoticeOutcome.REFUSED,
            "at": WD20,
            "ground": ExemptionGround.B,
            "other_law": "UU 7/2017",
            "extended": True,
            "channel": Channel.LETTER,
            "requester_category": RequesterCategory.BADAN_HUKUM,
        },
        {"outcome": NoticeOutcome.REFUSED, "at": WD10, "ground": ExemptionGround.C},
        {"outcome": NoticeOutcome.REFUSED, "at": WD10, "ground": ExemptionGround.C},
        {"outcome": NoticeOutcome.REFUSED, "at": WD10, "ground": ExemptionGround.C},
        {"outcome": NoticeOutcome.NOT_DOCUMENTED, "at": WD5},
        {"state": RequestState.WITHDRAWN},
        {"state": RequestState.REJECTED_INCOMPLETE},
    ]
    async with database_session(database_url) as session:
        for index, spec in enumerate(specs):
            await _store(session, index, DINKES_ID, RECEIVED, spec)
        await _store(
            session,
            0,
            DISDIK_ID,
            RECEIVED,
            {"outcome": NoticeOutcome.GRANTED_FULL, "at": WD5},
        )
        july = dt.datetime(2025, 7, 7, 9, 0, tzinfo=JAKARTA)
        await _store(session, 1, DISDIK_ID, july, {})


async def _store(
    session: AsyncSession,
    index: int,
    unit_id: uuid.UUID,
    received: dt.datetime,
    spec: dict[str, Any],
) -> None:
    fields: dict[str, Any] = {
        key: spec[key]
        for key in (
            "channel",
            "requester_category",
            "delivery_method",
            "fee_total",
            "delivered_at",
        )
        if key in spec
    }
    outcome: NoticeOutcome | None = spec.get("outcome")
    at: dt.datetime | None = spec.get("at")
    state = spec.get("state", RequestState.NOTICE_SENT if outcome else RequestState.RECEIVED)
    if outcome is not None:
        fields["notice_outcome"] = outcome
        fields["notice_sent_at"] = at
    if spec.get("extended"):
        fields["extended_due"] = dt.date(2025, 2, 26)
        fields["extension_reason"] = "Informasi tersebar di beberapa bidang"
    if "paid" in spec:
        fields["paid_at"] = at
        fields["payment_method"] = spec["paid"]
    made = await store_request(
        session,
        PEOPLE[index % len(PEOPLE)],
        state=state,
        received_at=received,
        unit_id=unit_id,
        **fields,
    )
    if outcome is not None and at is not None:
        await _notice(
            session,
            made.id,
            outcome,
            at,
            unit_id,
            ground=spec.get("ground"),
            other_law=spec.get("other_law"),
        )
