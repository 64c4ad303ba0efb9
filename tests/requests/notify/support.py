"""Requests made straight in the database, and what their emails and outbox rows hold.

Until the intake package's `POST /v1/requests` is the way in, a request is an
`InformationRequest` with `version=0` and its `RequesterIdentity`, then the `submit`
event through `core.history.record_event` (which queues the requester's email).
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from ppid_kit.access import Actor
from ppid_kit.db import create_engine
from requests_service.core.access import hash_secret
from requests_service.core.history import record_event
from requests_service.core.models import (
    AccessMethod,
    ActorType,
    Channel,
    CopyFormat,
    DeliveryMethod,
    InformationRequest,
    RequesterCategory,
    RequesterIdentity,
    RequestState,
)
from requests_service.identity.nik import encrypt_nik, nik_hash
from requests_service.settings import RequestsSettings
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.requests.harness import DINKES_ID, ROOT_ID
from tests.requests.people import Person

WIB = "Asia/Jakarta"
OFFICIAL = Actor(uuid.uuid4(), "ppid_pelaksana")
_SEQ = itertools.count(secrets.randbelow(10**6) * 100 + 1)
_KEYS = RequestsSettings()  # the development NIK keys


@dataclass(frozen=True)
class Submitted:
    request: InformationRequest
    tracking_secret: str  # what the requester was shown once; never in an email

    @property
    def number(self) -> str:
        return self.request.registration_number


def in_zone(day: dt.date, hour: int, minute: int = 0, zone: str = WIB) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(zone))


def new_request(
    *,
    received_at: dt.datetime,
    notice_due: dt.date,
    unit_id: uuid.UUID = DINKES_ID,
    time_zone: str = WIB,
    **fields: Any,
) -> tuple[InformationRequest, str]:
    """An unsaved request (version 0) and its tracking secret."""
    seq = next(_SEQ)
    secret = secrets.token_urlsafe(24)
    values: dict[str, Any] = {
        "version": 0,
        "root_id": ROOT_ID,
        "target_unit_id": unit_id,
        "unit_id": unit_id,
        "year": 2026,
        "seq": seq,
        "registration_number": f"KOTA-CONTOH/DINKES/PI/2026/{seq:08d}",
        "channel": Channel.ONLINE,
        "requester_category": RequesterCategory.PERORANGAN,
        "information_requested": "Data cakupan imunisasi dasar 2025 per kelurahan",
        "purpose": "Bahan penelitian skripsi",
        "access_method": AccessMethod.OBTAIN_COPY,
        "copy_format": CopyFormat.SOFTCOPY,
        "delivery_method": DeliveryMethod.EMAIL,
        "state": RequestState.RECEIVED,
        "received_at": received_at,
        "receipt_date": received_at.date(),
        "notice_due": notice_due,
        "calendar_version": 0,
        "time_zone": time_zone,
        "tracking_secret_hash": hash_secret(secret),
        **fields,
    }
    return InformationRequest(**values), secret


def identity_of(request: InformationRequest, person: Person, *, email: bool) -> RequesterIdentity:
    """Everything the form asks (DOMAIN.md 8.3), so a leak into an email would show."""
    ciphertext, key_id = encrypt_nik(person.nik, _KEYS.nik_keys, _KEYS.nik_key_id)
    return RequesterIdentity(
        request_id=request.id,
        name=person.name,
        nik_ciphertext=ciphertext,
        nik_key_id=key_id,
        nik_hash=nik_hash(person.nik, _KEYS.nik_hash_key),
        address=person.address,
        phone=person.phone,
        email=person.email if email else None,
        occupation=person.occupation,
    )


async def submit(
    session: AsyncSession,
    person: Person,
    *,
    received_at: dt.datetime,
    notice_due: dt.date,
    email: bool = True,
    **fields: Any,
) -> Submitted:
    """Store a request and record its `submit` event (the requester's email is queued)."""
    request, secret = new_request(received_at=received_at, notice_due=notice_due, **fields)
    session.add(request)
    session.add(identity_of(request, person, email=email))
    await record_event(
        session,
        request,
        action="submit",
        to_state=RequestState.RECEIVED,
        actor=None,
        actor_type=ActorType.ANONYMOUS,
    )
    return Submitted(request, secret)


async def step(
    session: AsyncSession,
    request: InformationRequest,
    action: str,
    to_state: RequestState,
    *,
    note: str | None = None,
    **changes: Any,
) -> InformationRequest:
    """An official's action as the workflow package records it (fields, then the event)."""
    merged = await session.merge(request)
    for name, value in changes.items():
        setattr(merged, name, value)
    await record_event(
        session,
        merged,
        action=action,
        to_state=to_state,
        actor=OFFICIAL,
        actor_type=ActorType.OFFICIAL,
        note=note,
    )
    return merged


@asynccontextmanager
async def engine_for(database_url: str, pool_size: int = 2) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=pool_size)
    try:
        yield engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def transaction(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session in one transaction, committed on a clean exit, rolled back otherwise."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        yield session


async def outbox_rows(engine: AsyncEngine, **where: str) -> list[sa.Row[Any]]:
    """`outbox_messages` rows whose columns equal `where` (e.g. `recipient=…`)."""
    clauses = " AND ".join(f"{column} = :{column}" for column in where) or "TRUE"
    async with engine.connect() as conn:
        found = await conn.execute(
            sa.text(f"SELECT * FROM outbox_messages WHERE {clauses} ORDER BY created_at"),  # noqa: S608
            where,
        )
        return list(found)


async def rows_about(engine: AsyncEngine, number: str) -> list[sa.Row[Any]]:
    """The outbox rows whose subject names registration number `number`."""
    async with engine.connect() as conn:
        found = await conn.execute(
            sa.text("SELECT * FROM outbox_messages WHERE subject LIKE :s ORDER BY created_at"),
            {"s": f"%{number}%"},
        )
        return list(found)
