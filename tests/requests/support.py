"""Helpers shared by the requests tests: callers' headers, a valid submission, requests
written straight to the database, and the text of the service's PDFs.

A request written directly is stored the way intake stores it: the `InformationRequest`
at version 0, its `RequesterIdentity` with the NIK encrypted (the development keys), then
the `submit` event through `core.history.record_event`, which also writes the audit row
and queues the requester's email. Only the people of `tests/requests/people.py` submit:
the personal-data guard knows them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import secrets
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

import httpx
from requests_service.calendar.clock import WorkCalendar
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
from sqlalchemy.ext.asyncio import AsyncSession

from tests.requests.harness import DINKES_ID, ROOT_ID, Minter
from tests.requests.people import SITI, Person
from tests.services.support import database_session

Json = dict[str, Any]
ZONE = "Asia/Jakarta"
_KEYS = RequestsSettings()  # the development NIK keys
# One counter for every request written here (a random start: rarely near intake's 1, 2…).
_SEQ = itertools.count(secrets.randbelow(10**6) * 100 + 1)


def requester(minter: Minter, account: uuid.UUID | None = None) -> dict[str, str]:
    """A requester's account headers (a new account unless `account` is given)."""
    return minter.headers([], sub=account or uuid.uuid4(), typ="requester")


def form(person: Person = SITI, *, requester: Json | None = None, **overrides: Any) -> Json:
    """A valid online submission to Dinas Kesehatan by `person`."""
    return {
        "target_unit_id": str(DINKES_ID),
        "requester": {**person.requester(), **(requester or {})},
        "information_requested": "Daftar puskesmas dan jam layanannya tahun 2026",
        "purpose": "Penelitian skripsi",
        "access_method": "obtain_copy",
        "copy_format": "softcopy",
        "delivery_method": "email",
        **overrides,
    }


async def submit(
    client: httpx.AsyncClient, body: Json | None = None, headers: dict[str, str] | None = None
) -> Json:
    """Submit through `POST /v1/requests` (a valid form by default); the 201 body."""
    response = await client.post("/v1/requests", json=body or form(), headers=headers or {})
    assert response.status_code == 201, response.text
    made: Json = response.json()
    return made


@dataclass(frozen=True)
class Made:
    """A request written to the database, and the tracking secret its requester was shown."""

    request: InformationRequest
    secret: str

    @property
    def id(self) -> uuid.UUID:
        return self.request.id

    @property
    def number(self) -> str:
        return self.request.registration_number

    @property
    def path(self) -> str:
        return f"/v1/requests/{self.id}"

    @property
    def files_path(self) -> str:
        return f"{self.path}/files"

    def with_secret(self, headers: dict[str, str] | None = None) -> dict[str, str]:
        return {**(headers or {}), "X-Tracking-Secret": self.secret}


def new_request(
    *,
    received_at: dt.datetime | None = None,
    unit_id: uuid.UUID = DINKES_ID,
    time_zone: str = ZONE,
    **fields: Any,
) -> tuple[InformationRequest, str]:
    """An unsaved request to `unit_id` of the demo root (version 0, before its `submit`
    event), received now unless said, and its tracking secret. The receipt date and D10
    come from the root's default calendar; `fields` set these or any other column."""
    received = received_at or dt.datetime.now(dt.UTC)
    calendar = WorkCalendar(ROOT_ID, 0, time_zone)
    seq = next(_SEQ)
    secret = secrets.token_urlsafe(24)
    values: dict[str, Any] = {
        "version": 0,
        "root_id": ROOT_ID,
        "target_unit_id": unit_id,
        "unit_id": unit_id,
        "year": received.year,
        "seq": seq,
        "registration_number": f"KOTA-CONTOH/DINKES/PI/{received.year}/{seq:08d}",
        "channel": Channel.ONLINE,
        "requester_category": RequesterCategory.PERORANGAN,
        "information_requested": "Data cakupan imunisasi dasar 2025 per kelurahan",
        "purpose": "Bahan penelitian skripsi",
        "access_method": AccessMethod.OBTAIN_COPY,
        "copy_format": CopyFormat.SOFTCOPY,
        "delivery_method": DeliveryMethod.EMAIL,
        "state": RequestState.RECEIVED,
        "received_at": received,
        "receipt_date": calendar.receipt_date(received),
        "notice_due": calendar.deadline(received, 10),
        "calendar_version": 0,
        "time_zone": time_zone,
        "tracking_secret_hash": hash_secret(secret),
        **fields,
    }
    return InformationRequest(**values), secret


def new_identity(request: InformationRequest, person: Person, *, email: bool) -> RequesterIdentity:
    """Everything the form asks of `person` (DOMAIN.md 8.3), the NIK encrypted."""
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


async def store_request(
    session: AsyncSession,
    person: Person = SITI,
    *,
    state: RequestState = RequestState.RECEIVED,
    account: uuid.UUID | None = None,
    email: bool = True,
    **fields: Any,
) -> Made:
    """Store a request of `person` (by `account`, when given) and record its `submit` event
    in `session`, with the requester's email address unless `email` is false; then put it
    in `state` as if earlier actions had led there (without their events). `fields`:
    `new_request`'s."""
    request, secret = new_request(requester_account_id=account, **fields)
    session.add(request)
    await session.flush()
    session.add(new_identity(request, person, email=email))
    await record_event(
        session,
        request,
        action="submit",
        to_state=RequestState.RECEIVED,
        actor=None,
        actor_type=ActorType.ANONYMOUS,
    )
    if state is not RequestState.RECEIVED:
        request.state = state
        session.add(request)
    return Made(request, secret)


async def make_request(database_url: str, person: Person = SITI, **options: Any) -> Made:
    """`store_request` in a transaction of its own, committed."""
    async with database_session(database_url) as session:
        return await store_request(session, person, **options)


def pdf_text(pdf: bytes) -> str:
    """The text of fpdf's (deflated) content streams: its `Tj` strings, unescaped, one space
    between them (a wrapped line ends a string)."""
    streams = []
    # fpdf ends a stream with "\nendstream"; no optional "\r" before it, since deflated
    # data may itself end with that byte (about one PDF in 256, seen as a flaky test).
    for stream in re.findall(rb"stream\r?\n(.*?)\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            streams.append(stream.decode("latin-1"))
    shown = re.findall(r"\(((?:\\.|[^\\)])*)\)\s*Tj", "".join(streams))
    text = " ".join(re.sub(r"\\(.)", r"\1", part) for part in shown)
    return re.sub(r"\s+", " ", text)
