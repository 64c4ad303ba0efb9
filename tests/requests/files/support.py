"""Helpers of the files tests: the app with a known store, requests made in the database.

Requests are written directly (a request at version 0, its identity with the NIK
encrypted, then the `submit` event through `core.history.record_event`), with the
people of `tests/requests/people.py` only: the personal-data guard knows them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from ppid_kit.db import create_engine
from ppid_kit.storage import ObjectStore, make_store
from ppid_kit.tables import AUDIT_TABLE
from requests_service.core.access import hash_secret
from requests_service.core.history import record_event
from requests_service.core.models import (
    AccessMethod,
    ActorType,
    Channel,
    DeliveryMethod,
    InformationRequest,
    RequesterCategory,
    RequesterIdentity,
    RequestFile,
    RequestState,
)
from requests_service.identity.nik import encrypt_nik, nik_hash
from requests_service.settings import RequestsSettings
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from tests.requests.harness import (
    DINKES_ID,
    ROOT_ID,
    AuthStack,
    requests_settings,
    serve_requests,
)
from tests.requests.people import Person
from tests.services.support import database_session

MiB = 1024 * 1024
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 9000


def scan(size: int = 30_000, head: bytes = JPEG) -> bytes:
    """Bytes that sniff as `head`'s type (what follows the magic does not matter)."""
    return head + os.urandom(max(0, size - len(head)))


def pdf(size: int = 20_000) -> bytes:
    return scan(size, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")


@dataclass(frozen=True)
class Files:
    """The requests app, and a second handle on its store and database for checks."""

    client: httpx.AsyncClient
    store: ObjectStore
    database_url: str
    settings: RequestsSettings


@contextlib.asynccontextmanager
async def serve_files(
    stack: AuthStack, database_url: str, storage_dir: Path, **overrides: Any
) -> AsyncIterator[Files]:
    """The app with the periodic sweeper off unless asked (tests run it themselves)."""
    values: dict[str, Any] = {"sweep_interval_seconds": 0, **overrides}
    settings = requests_settings(stack, database_url, storage_dir, **values)
    async with serve_requests(settings) as client:
        yield Files(client, make_store(settings), database_url, settings)


@dataclass(frozen=True)
class Made:
    id: uuid.UUID
    secret: str

    @property
    def files_path(self) -> str:
        return f"/v1/requests/{self.id}/files"

    def with_secret(self, headers: dict[str, str] | None = None) -> dict[str, str]:
        return {**(headers or {}), "X-Tracking-Secret": self.secret}


async def new_request(
    database_url: str,
    person: Person,
    *,
    unit_id: uuid.UUID = DINKES_ID,
    account: uuid.UUID | None = None,
    state: RequestState = RequestState.RECEIVED,
    with_email: bool = False,
) -> Made:
    """A submitted request of `person` to `unit_id` (then moved to `state`, when another)."""
    settings = RequestsSettings()
    secret = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    request = InformationRequest(
        root_id=ROOT_ID,
        target_unit_id=unit_id,
        unit_id=unit_id,
        year=now.year,
        seq=secrets.randbelow(10**9),
        registration_number=f"TEST/{uuid.uuid4().hex[:12]}",
        channel=Channel.ONLINE,
        requester_account_id=account,
        requester_category=RequesterCategory.PERORANGAN,
        information_requested="Data cakupan imunisasi dasar per puskesmas tahun 2025.",
        purpose="Penelitian skripsi.",
        access_method=AccessMethod.OBTAIN_COPY,
        delivery_method=DeliveryMethod.DOWNLOAD,
        state=RequestState.RECEIVED,
        received_at=now,
        receipt_date=now.date(),
        notice_due=now.date() + dt.timedelta(days=14),
        calendar_version=0,
        time_zone="Asia/Jakarta",
        tracking_secret_hash=hash_secret(secret),
        version=0,
    )
    blob, key_id = encrypt_nik(person.nik, settings.nik_keys, settings.nik_key_id)
    identity = RequesterIdentity(
        request_id=request.id,
        name=person.name,
        nik_ciphertext=blob,
        nik_key_id=key_id,
        nik_hash=nik_hash(person.nik, settings.nik_hash_key),
        address=person.address,
        phone=person.phone,
        email=person.email if with_email else None,
        occupation=person.occupation,
    )
    async with database_session(database_url) as session:
        session.add(request)
        await session.flush()
        session.add(identity)
        await session.flush()
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
    return Made(request.id, secret)


async def upload(
    client: httpx.AsyncClient,
    made: Made,
    kind: str,
    content: bytes,
    headers: dict[str, str],
    *,
    filename: str = "berkas.jpg",
) -> httpx.Response:
    """POST the form the way httpx encodes it (`kind` first, then the file)."""
    files = {"file": (filename, content, "application/octet-stream")}
    return await client.post(made.files_path, files=files, data={"kind": kind}, headers=headers)


async def file_rows(database_url: str, made: Made) -> list[RequestFile]:
    stmt = (
        sa.select(RequestFile)
        .where(col(RequestFile.request_id) == made.id)
        .order_by(col(RequestFile.created_at))
    )
    async with database_session(database_url) as session:
        return list((await session.execute(stmt)).scalars())


async def identity_row(database_url: str, made: Made) -> RequesterIdentity:
    async with database_session(database_url) as session:
        found = await session.get(RequesterIdentity, made.id)
    assert found is not None
    return found


async def audit_rows(database_url: str, action: str, object_id: object) -> list[dict[str, Any]]:
    stmt = (
        sa.select(AUDIT_TABLE)
        .where(AUDIT_TABLE.c.action == action)
        .where(AUDIT_TABLE.c.object_id == str(object_id))
        .order_by(AUDIT_TABLE.c.id)
    )
    async with database_session(database_url) as session:
        return [dict(row._mapping) for row in (await session.execute(stmt)).all()]


async def all_keys(store: ObjectStore) -> list[str]:
    return sorted([key async for key in store.list_keys("")])


async def read_all(store: ObjectStore, key: str) -> bytes:
    out = bytearray()
    async for chunk in await store.open_stream(key):
        out += chunk
    return bytes(out)


@contextlib.asynccontextmanager
async def engine_for(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=2)
    try:
        yield engine
    finally:
        await engine.dispose()
