"""Objections written straight to the database for the disputes, bundle and register tests.

An objection is stored as the objections package stores one (version 0, its objector's
identity, then the `file` event through `record_objection_event`), then put in the state
the test needs, with the Atasan's response when decided. Only the people of
`tests/requests/people.py` object: the personal-data guard knows them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from requests_service.calendar.clock import WorkCalendar
from requests_service.calendar.service import load_calendar
from requests_service.core.access import hash_secret
from requests_service.core.models import ActorType, Channel, NoticeOutcome, RequestState
from requests_service.objections.history import record_objection_event
from requests_service.objections.models import (
    Objection,
    ObjectionDecision,
    ObjectionState,
    ObjectorIdentity,
)
from requests_service.workflow.models import ExemptionGround, RefusalDecree, RequestNotice
from sqlalchemy.ext.asyncio import AsyncSession

from tests.requests.harness import DINKES_ID, ROOT_ID
from tests.requests.people import SITI, Person
from tests.requests.support import ZONE, Made, store_request
from tests.services.support import database_session

# Objection numbers (and the DIP numbers derived from them) from a random start.
_SEQ = itertools.count(secrets.randbelow(10**4) * 100 + 1)
_DECIDED = {
    ObjectionState.DECIDED_UPHELD_PPID: ObjectionDecision.UPHELD_PPID,
    ObjectionState.DECIDED_UPHELD_REQUESTER: ObjectionDecision.UPHELD_REQUESTER,
    ObjectionState.ORDER_EXECUTED: ObjectionDecision.UPHELD_REQUESTER,
}


@dataclass(frozen=True)
class StoredObjection:
    objection: Objection
    secret: str
    request: Made | None

    @property
    def id(self) -> uuid.UUID:
        return self.objection.id

    @property
    def path(self) -> str:
        return f"/v1/objections/{self.id}"

    def with_secret(self, headers: dict[str, str] | None = None) -> dict[str, str]:
        return {**(headers or {}), "X-Tracking-Secret": self.secret}


async def root_calendar(session: AsyncSession) -> WorkCalendar:
    return await load_calendar(session, ROOT_ID, time_zone=ZONE)


def _decision_fields(
    state: ObjectionState, response_date: dt.date, calendar: WorkCalendar
) -> dict[str, Any]:
    """The Atasan's written response (DOMAIN.md 10.6) of a decided objection."""
    decision = _DECIDED[state]
    fields: dict[str, Any] = {
        "decision": decision,
        "decided_at": calendar.end_of(response_date) - dt.timedelta(hours=10),
        "response_number": f"TK/{uuid.uuid4().hex[:10]}",
        "response_date": response_date,
        "objection_summary": "Pemohon keberatan atas penolakan permohonan.",
        "atasan_name": "Ir. Atasan Contoh",
        "atasan_position": "Sekretaris Daerah",
        "dispute_due": calendar.add_working_days(response_date, 14),
    }
    if decision is ObjectionDecision.UPHELD_PPID:
        fields["decision_reasons"] = "Informasi dikecualikan berdasarkan uji konsekuensi."
    else:
        fields["order_text"] = "PPID memberikan informasi yang dimohon."
        fields["order_due"] = calendar.add_working_days(response_date, 10)
    return fields


async def store_objection(
    session: AsyncSession,
    *,
    state: ObjectionState = ObjectionState.WITH_ATASAN,
    received_days_ago: int = 0,
    response_days_ago: int | None = None,
    person: Person = SITI,
    agent: Person | None = None,
    account: uuid.UUID | None = None,
    unit_id: uuid.UUID = DINKES_ID,
    refused_request: bool = False,
    with_request: bool = True,
    purpose: str = "Bahan penelitian skripsi",
    client_id: str | None = None,
) -> StoredObjection:
    """An objection of `person` to a request of theirs, received `received_days_ago`; a
    decided state gets the Atasan's response dated `response_days_ago` (working-day dates
    from the root's calendar). `refused_request`: the request has a refusal notice and
    decree. Without a request, the objection is on reason (b) alone."""
    calendar = await root_calendar(session)
    now = dt.datetime.now(dt.UTC)
    received = now - dt.timedelta(days=received_days_ago)
    made = None
    if with_request:
        made = await store_request(
            session,
            person,
            state=RequestState.CLOSED,
            account=account,
            unit_id=unit_id,
            received_at=received - dt.timedelta(days=20),
        )
        if refused_request:
            await _refusal(session, made, calendar)
    seq = next(_SEQ)
    receipt = calendar.receipt_date(received)
    secret = secrets.token_urlsafe(24)
    objection = Objection(
        root_id=ROOT_ID,
        unit_id=unit_id,
        request_id=None if made is None else made.id,
        year=received.year,
        seq=seq,
        objection_number=f"KOTA-CONTOH/DINKES/KB/{received.year}/{seq:05d}",
        channel=Channel.ONLINE,
        requester_account_id=account,
        client_id=client_id,
        by_agent=agent is not None,
        reasons=["a"] if made is not None else ["b"],
        purpose=purpose,
        case_position="Permohonan ditolak tanpa alasan yang jelas.",
        reason_discovered_on=receipt,
        filing_due=calendar.add_working_days(receipt, 30),
        received_at=received,
        receipt_date=receipt,
        response_due=calendar.add_working_days(receipt, 30),
        calendar_version=calendar.version,
        time_zone=ZONE,
        state=ObjectionState.FILED,
        tracking_secret_hash=hash_secret(secret),
        version=0,
    )
    session.add(objection)
    await session.flush()
    session.add(_identity(objection, person, agent))
    await session.flush()
    await record_objection_event(
        session,
        objection,
        action="file",
        to_state=ObjectionState.FILED,
        actor=None,
        actor_type=ActorType.ANONYMOUS,
    )
    if state in _DECIDED:
        days = received_days_ago if response_days_ago is None else response_days_ago
        answered = calendar.local(now - dt.timedelta(days=days)).date()
        for name, value in _decision_fields(state, answered, calendar).items():
            setattr(objection, name, value)
    objection.state = state
    session.add(objection)
    await session.flush()
    return StoredObjection(objection, secret, made)


def _identity(objection: Objection, person: Person, agent: Person | None) -> ObjectorIdentity:
    return ObjectorIdentity(
        objection_id=objection.id,
        name=person.name,
        address=person.address,
        occupation=person.occupation,
        phone=person.phone,
        email=None,  # no emails queued for these tests
        agent_name=None if agent is None else agent.name,
        agent_address=None if agent is None else agent.address,
        agent_occupation=None if agent is None else agent.occupation,
        agent_phone=None if agent is None else agent.phone,
    )


async def _refusal(session: AsyncSession, made: Made, calendar: WorkCalendar) -> None:
    """A refusal notice and its decree, as the workflow issues them (DOMAIN.md 8.4, 8.5)."""
    issued = made.request.received_at + dt.timedelta(days=3)
    session.add(
        RequestNotice(
            request_id=made.id,
            outcome=NoticeOutcome.REFUSED,
            explanation="Informasi dikecualikan.",
            issuer="PPID Dinas Kesehatan Kota Contoh",
            place="Kota Contoh",
            signatory="dr. Contoh Sehat",
            unit_id=made.request.unit_id,
            issued_at=issued,
            issued_by_role="ppid_pelaksana",
        )
    )
    await session.flush()
    seq = next(_SEQ)
    session.add(
        RefusalDecree(
            request_id=made.id,
            root_id=ROOT_ID,
            year=issued.year,
            seq=seq,
            decree_number=f"KOTA-CONTOH/DINKES/SK/{issued.year}/{seq:05d}",
            decree_date=calendar.local(issued).date(),
            ground=ExemptionGround.A,
            ground_number="1",
            ground_text="dapat menghambat proses penegakan hukum",
            consequence_test_id=uuid.uuid4(),
            dik_number="DIK-2026-001",
            consequences="Menghambat penyidikan.",
            objection_due=calendar.add_working_days(calendar.local(issued).date(), 30),
        )
    )
    await session.flush()


async def make_objection(database_url: str, **options: Any) -> StoredObjection:
    """`store_objection` in a transaction of its own, committed."""
    async with database_session(database_url) as session:
        return await store_objection(session, **options)
