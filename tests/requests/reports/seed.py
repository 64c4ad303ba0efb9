"""A realistic year (2025) of the demo root, inserted directly in bulk: a few hundred
requests across six units, months, channels and outcomes (with notices, refusal decrees,
extensions, fees and deliveries), objections (some without a request, reason b) and
disputes at the KI, the 2025 holidays on the root's calendar, and a fee schedule.

`seed` returns the raw values it inserted (`Seeded`), so the tests compute the expected
figures from them with plain Python. Working days are counted here with our own
`HOLIDAYS` list and weekends, not with the service's calendar.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from auth_service.demo.data import DISKOMINFO, KECAMATAN, KELURAHAN, RSUD
from requests_service.calendar.models import CalendarDay, CalendarDayKind
from requests_service.core.models import (
    AccessMethod,
    Channel,
    DeliveryMethod,
    NoticeOutcome,
    RequesterCategory,
    RequestState,
)
from requests_service.disputes.models import Dispute, DisputeOutcome, DisputeStage, KiLevel
from requests_service.objections.models import Objection, ObjectionDecision, ObjectionState
from requests_service.workflow.models import (
    ExemptionGround,
    FeeItem,
    FeeSchedule,
    RefusalDecree,
    RequestNotice,
)

from tests.requests.harness import DINKES_ID, DISDIK_ID, ROOT_ID
from tests.requests.support import new_request
from tests.services.support import database_session

JAKARTA = ZoneInfo("Asia/Jakarta")
YEAR = 2025
# 2025 public holidays on weekdays, and one cuti bersama (closed by the default policy).
HOLIDAYS = frozenset(
    dt.date(YEAR, m, d)
    for m, d in (
        (1, 1),
        (1, 27),
        (1, 29),
        (3, 31),
        (4, 1),
        (4, 18),
        (5, 1),
        (5, 12),
        (5, 29),
        (6, 6),
        (6, 27),
        (9, 5),
        (12, 25),
    )
)
CUTI_BERSAMA = dt.date(YEAR, 12, 26)
CLOSED = HOLIDAYS | {CUTI_BERSAMA}
# Requests per handling unit: KELURAHAN's 2 stay under the threshold in public.
UNIT_SIZES = {
    DINKES_ID: 110,
    DISDIK_ID: 90,
    RSUD.id: 70,
    KECAMATAN.id: 20,
    DISKOMINFO.id: 8,
    KELURAHAN.id: 2,
}
OUTCOMES = [
    (None, 6),  # still without a notice
    (NoticeOutcome.GRANTED_FULL, 50),
    (NoticeOutcome.GRANTED_PARTIAL, 12),
    (NoticeOutcome.REFUSED, 16),
    (NoticeOutcome.NOT_HELD_UNKNOWN, 3),
    (NoticeOutcome.NOT_DOCUMENTED, 3),
    (NoticeOutcome.NOT_HELD_FORWARDED, 2),
]


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in CLOSED


def add_working_days(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        n -= is_working_day(day)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (DOMAIN.md 14.2)."""
    days = (start + dt.timedelta(days=n) for n in range(1, (end - start).days + 1))
    return sum(is_working_day(day) for day in days)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


@dataclass
class Seeded:
    """The raw values inserted (what the tests compute their expectations from)."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    decrees: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    objections: list[dict[str, Any]] = field(default_factory=list)
    disputes: list[dict[str, Any]] = field(default_factory=list)
    fee_items: list[dict[str, Any]] = field(default_factory=list)


def _request(rng: random.Random, unit: uuid.UUID, day: dt.date) -> dict[str, Any]:
    """The columns of one request received on working day `day`, by its outcome."""
    outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "unit_id": unit,
        "received_at": at(day, rng.randint(8, 15)),
        "receipt_date": day,
        "channel": rng.choice(list(Channel)),
        "requester_category": rng.choices(list(RequesterCategory), [8, 1, 1])[0],
        "access_method": rng.choices(list(AccessMethod), [1, 5])[0],
        "delivery_method": rng.choice(list(DeliveryMethod)),
        "state": RequestState.RECEIVED,
    }
    if outcome is None:
        values["state"] = rng.choice(
            [RequestState.RECEIVED, RequestState.WITHDRAWN, RequestState.REJECTED_INCOMPLETE]
        )
        return values
    taken = rng.choice([3, 4, 5, 7, 8, 10, 10, 12, 15, 17, 19])  # >= 3: no small maxima
    noticed = add_working_days(day, taken)
    values |= {
        "state": RequestState.NOTICE_SENT,
        "notice_outcome": outcome,
        "notice_sent_at": at(noticed, 10),
    }
    if taken > 10:
        values["extended_due"] = add_working_days(day, 17)
        values["extension_reason"] = "Informasi tersebar di beberapa bidang"
    if outcome in (NoticeOutcome.GRANTED_FULL, NoticeOutcome.GRANTED_PARTIAL):
        if rng.random() < 0.3:
            values["fee_total"] = rng.choice([2000, 5000, 12500])
            if rng.random() < 0.7:
                values["payment_method"] = rng.choice(
                    ["cash_at_counter", "bank_transfer_official_account", "waived"]
                )
                values["paid_at"] = at(noticed, 11)
        if rng.random() < 0.8:
            values["delivered_at"] = at(add_working_days(noticed, rng.randint(0, 4)), 14)
            values["state"] = RequestState.DELIVERED
    return values


def _objection(
    rng: random.Random, seq: int, request: dict[str, Any] | None, unit: uuid.UUID, day: dt.date
) -> dict[str, Any]:
    reasons = ["b"] if request is None else sorted(rng.sample("acdefg", rng.randint(1, 3)))
    decision = rng.choices([*list(ObjectionDecision), None], [4, 4, 2, 2])[0]
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "root_id": ROOT_ID,
        "unit_id": unit,
        "request_id": None if request is None else request["id"],
        "year": day.year,
        "seq": seq,
        "objection_number": f"KOTA-CONTOH/X/KB/{day.year}/{seq:05d}",
        "channel": rng.choice(list(Channel)),
        "reasons": reasons,
        "purpose": "Bahan penelitian",
        "case_position": "Permohonan informasi tidak dipenuhi",
        "reason_discovered_on": day - dt.timedelta(days=7),
        "filing_due": add_working_days(day, 25),
        "filed_late": rng.random() < 0.15,
        "received_at": at(day, 10),
        "receipt_date": day,
        "response_due": add_working_days(day, 30),
        "calendar_version": 0,
        "time_zone": "Asia/Jakarta",
        "tracking_secret_hash": "0" * 64,
        "decision": decision,
        "state": ObjectionState.WITH_ATASAN,
    }
    if decision is None:
        values["state"] = rng.choice([ObjectionState.WITHDRAWN, ObjectionState.WITH_ATASAN])
        return values
    response = add_working_days(day, rng.choice([5, 12, 20, 28, 30, 33, 40]))
    values |= {
        "decided_at": at(response, 9),
        "response_date": response,
        "response_number": f"TK/{day.year}/{seq:05d}",
        "dispute_due": add_working_days(response, 14),
    }
    if decision is ObjectionDecision.UPHELD_PPID:
        values["decision_reasons"] = "Informasi dikecualikan berdasarkan uji konsekuensi"
        values["state"] = rng.choice([ObjectionState.SETTLED, ObjectionState.ESCALATED_TO_KI])
    elif decision is ObjectionDecision.UPHELD_REQUESTER:
        values["order_text"] = "Berikan informasi yang diminta"
        values["order_due"] = add_working_days(response, 10)
        if rng.random() < 0.7:
            values["order_executed_at"] = at(add_working_days(response, 5), 10)
            values["state"] = ObjectionState.ORDER_EXECUTED
        else:
            values["state"] = ObjectionState.ESCALATED_TO_KI
    else:
        values["state"] = ObjectionState.SETTLED
    return values


def _dispute(rng: random.Random, objection: dict[str, Any]) -> dict[str, Any]:
    filed = add_working_days(objection["response_date"], rng.randint(3, 16))
    stage = rng.choice(list(DisputeStage))
    outcome = rng.choice([*DisputeOutcome, None]) if stage is not DisputeStage.REGISTERED else None
    values: dict[str, Any] = {
        "objection_id": objection["id"],
        "request_id": objection["request_id"],
        "root_id": ROOT_ID,
        "unit_id": objection["unit_id"],
        "ki_level": rng.choice(list(KiLevel)),
        "filed_on": filed,
        "filing_due": objection["dispute_due"],
        "filed_late": filed > objection["dispute_due"],
        "stage": stage,
        "outcome": outcome,
        "time_zone": "Asia/Jakarta",
        "calendar_version": 0,
    }
    if stage in (DisputeStage.COURT, DisputeStage.CASSATION):
        values["court_stage"] = "ptun" if stage is DisputeStage.COURT else "kasasi"
        values["court_case_no"] = f"PTUN/{filed.year}/{rng.randint(1, 999)}"
    if outcome in (DisputeOutcome.INFORMATION_OPENED, DisputeOutcome.FEE_DECIDED):
        values["decision_date"] = add_working_days(filed, 60)
        values["compliance_due"] = add_working_days(filed, 74)
        if rng.random() < 0.6:
            late = rng.random() < 0.3
            done = add_working_days(values["compliance_due"], 3) if late else filed
            values["complied_at"] = at(done, 15)
    return values


def _working_days(year: int) -> list[dt.date]:
    """The working days of `year` (days 1-28 of each month, for simplicity)."""
    days = (dt.date(year, month, day) for month in range(1, 13) for day in range(1, 29))
    return [day for day in days if is_working_day(day)]


async def seed(database_url: str) -> Seeded:
    """Insert the year (and a few requests just outside it); return what was inserted."""
    rng = random.Random(2025)
    seeded = Seeded()
    year_days = _working_days(YEAR)
    for unit, size in UNIT_SIZES.items():
        for _ in range(size):
            seeded.requests.append(_request(rng, unit, rng.choice(year_days)))
    # Outside the year: must not count.
    for day in (dt.date(2024, 12, 30), dt.date(2026, 1, 2)):
        seeded.requests.append(_request(rng, DINKES_ID, day))
    seq = itertools.count(1)
    targets = [
        r
        for r in seeded.requests
        if r["receipt_date"].year == YEAR and r.get("notice_outcome") is not None
    ]
    for request in rng.sample(targets, 44):
        day = add_working_days(request["notice_sent_at"].date(), rng.randint(1, 20))
        if day.year == YEAR:
            seeded.objections.append(_objection(rng, next(seq), request, request["unit_id"], day))
    for unit in (DINKES_ID, DINKES_ID, DISDIK_ID, DINKES_ID):  # reason (b): no request
        seeded.objections.append(_objection(rng, next(seq), None, unit, rng.choice(year_days)))
    seeded.disputes = [
        _dispute(rng, o) for o in seeded.objections if o["state"] is ObjectionState.ESCALATED_TO_KI
    ]
    seeded.fee_items = [
        {"code": "FC", "description": "Fotokopi A4", "unit_price": 200, "unit": "lembar"},
        {"code": "CD", "description": "Salinan pada CD", "unit_price": 10000, "unit": "keping"},
    ]
    await _insert(database_url, seeded, rng)
    return seeded


async def _insert(database_url: str, seeded: Seeded, rng: random.Random) -> None:
    decree_seq = itertools.count(1)
    async with database_session(database_url) as session:
        session.add_all(
            CalendarDay(
                root_id=ROOT_ID,
                date=day,
                name="Libur",
                kind=CalendarDayKind.PUBLIC_HOLIDAY,
                source="test",
            )
            for day in HOLIDAYS
        )
        session.add(
            CalendarDay(
                root_id=ROOT_ID,
                date=CUTI_BERSAMA,
                name="Cuti Bersama",
                kind=CalendarDayKind.CUTI_BERSAMA,
                source="test",
            )
        )
        session.add(FeeSchedule(root_id=ROOT_ID))
        await session.flush()
        session.add_all(
            FeeItem(
                root_id=ROOT_ID,
                position=index,
                effective_from=dt.date(2024, 1, 1),
                decree_no="Kep. Wali Kota 12/2024",
                **item,
            )
            for index, item in enumerate(seeded.fee_items)
        )
        for values in seeded.requests:
            request, _ = new_request(
                received_at=values["received_at"],
                **{k: v for k, v in values.items() if k != "received_at"},
            )
            session.add(request)
        await session.flush()
        for values in seeded.requests:
            outcome = values.get("notice_outcome")
            if outcome is None:
                continue
            session.add(_notice(values))
        await session.flush()
        for values in seeded.requests:
            if values.get("notice_outcome") is NoticeOutcome.REFUSED:
                decree = _decree(rng, values, next(decree_seq))
                seeded.decrees[values["id"]] = decree
                session.add(RefusalDecree(**decree))
        session.add_all(Objection(**values) for values in seeded.objections)
        await session.flush()
        session.add_all(Dispute(**values) for values in seeded.disputes)


def _notice(values: dict[str, Any]) -> RequestNotice:
    outcome = values["notice_outcome"]
    return RequestNotice(
        request_id=values["id"],
        outcome=outcome,
        redaction_note="Data pribadi dihitamkan"
        if outcome is NoticeOutcome.GRANTED_PARTIAL
        else None,
        holder_body="Dinas lain" if outcome is NoticeOutcome.NOT_HELD_FORWARDED else None,
        fee_total=values.get("fee_total", 0),
        issuer="Pemerintah Kota Contoh",
        place="Kota Contoh",
        signatory="PPID Pelaksana",
        unit_id=values["unit_id"],
        issued_at=values["notice_sent_at"],
        issued_by_role="ppid_pelaksana",
    )


def _decree(rng: random.Random, values: dict[str, Any], seq: int) -> dict[str, Any]:
    day = values["notice_sent_at"].date()
    return {
        "request_id": values["id"],
        "root_id": ROOT_ID,
        "year": day.year,
        "seq": seq,
        "decree_number": f"SK/REPORT/{seq}",
        "decree_date": day,
        "ground": rng.choice(list(ExemptionGround)),
        "ground_text": "Pasal 17",
        "other_law": "UU 7/2017" if rng.random() < 0.15 else None,
        "consequence_test_id": uuid.uuid4(),
        "consequences": "Membahayakan",
        "objection_due": add_working_days(day, 30),
    }
