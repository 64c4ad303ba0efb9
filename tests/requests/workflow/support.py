"""Helpers of the workflow tests: requests written straight to the database, the actions,
and snapshots proving that a refused action changed nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

import httpx
import sqlalchemy as sa
from requests_service.calendar.clock import WorkCalendar
from requests_service.core.access import hash_secret
from requests_service.core.models import (
    AccessMethod,
    ActorType,
    Channel,
    CopyFormat,
    DeliveryMethod,
    InformationRequest,
    RequesterCategory,
    RequesterIdentity,
    RequestEvent,
    RequestFile,
    RequestFileKind,
    RequestState,
)
from requests_service.identity.nik import encrypt_nik, nik_hash
from requests_service.settings import RequestsSettings

from tests.requests.harness import DINKES_ID, ROOT_ID, Minter, demo_account
from tests.requests.people import SITI, Person
from tests.services.support import database_session

Json = dict[str, Any]
ZONE = "Asia/Jakarta"
_SETTINGS = RequestsSettings()


@dataclass(frozen=True)
class Made:
    id: uuid.UUID
    secret: str
    number: str

    @property
    def path(self) -> str:
        return f"/v1/requests/{self.id}"


def official(minter: Minter, local: str) -> dict[str, str]:
    """A demo official's headers: `ppid.dinkes`, `ppid.disdik`, `ppid.utama`, `petugas`…"""
    return minter.official(demo_account(local))


def requester(minter: Minter, account: uuid.UUID) -> dict[str, str]:
    return minter.headers([], sub=account, typ="requester")


async def make_request(
    database_url: str,
    *,
    person: Person = SITI,
    unit_id: uuid.UUID = DINKES_ID,
    state: RequestState = RequestState.RECEIVED,
    account: uuid.UUID | None = None,
    received_at: dt.datetime | None = None,
    copy_format: CopyFormat | None = CopyFormat.SOFTCOPY,
    delivery_method: DeliveryMethod = DeliveryMethod.EMAIL,
) -> Made:
    """A request as intake leaves it (its identity and its `submit` event), in `state`."""
    received = received_at or dt.datetime.now(dt.UTC)
    calendar = WorkCalendar(ROOT_ID, 0, ZONE)
    seq = int.from_bytes(uuid.uuid4().bytes[:3], "big")
    number = f"KOTA-CONTOH/DINKES/PI/{received.year}/{seq:08d}"
    secret = uuid.uuid4().hex
    request = InformationRequest(
        root_id=ROOT_ID,
        target_unit_id=unit_id,
        unit_id=unit_id,
        year=received.year,
        seq=seq,
        registration_number=number,
        channel=Channel.ONLINE,
        requester_account_id=account,
        requester_category=RequesterCategory.PERORANGAN,
        information_requested="Laporan realisasi anggaran program imunisasi 2025",
        purpose="Penelitian",
        access_method=AccessMethod.OBTAIN_COPY,
        copy_format=copy_format,
        delivery_method=delivery_method,
        state=state,
        received_at=received,
        receipt_date=calendar.receipt_date(received),
        notice_due=calendar.deadline(received, 10),
        calendar_version=0,
        time_zone=ZONE,
        tracking_secret_hash=hash_secret(secret),
        version=1,
    )
    blob, key_id = encrypt_nik(person.nik, _SETTINGS.nik_keys, _SETTINGS.nik_key_id)
    identity = RequesterIdentity(
        request_id=request.id,
        name=person.name,
        nik_ciphertext=blob,
        nik_key_id=key_id,
        nik_hash=nik_hash(person.nik, _SETTINGS.nik_hash_key),
        address=person.address,
        phone=person.phone,
        email=person.email,
        occupation=person.occupation,
    )
    event = RequestEvent(
        request_id=request.id,
        version=1,
        action="submit",
        from_state=None,
        to_state=str(RequestState.RECEIVED),
        actor_type=ActorType.ANONYMOUS,
        unit_id=unit_id,
    )
    async with database_session(database_url) as session:
        session.add(request)
        await session.flush()
        session.add_all([identity, event])
    return Made(request.id, secret, number)


async def add_delivered_file(
    database_url: str, request_id: uuid.UUID, kind: RequestFileKind = RequestFileKind.DELIVERED
) -> uuid.UUID:
    """A file row of the request (the files package's upload is not needed)."""
    data = uuid.uuid4().bytes
    file = RequestFile(
        request_id=request_id,
        kind=kind,
        filename="laporan-realisasi.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=f"requests/test/{uuid.uuid4().hex}",
    )
    async with database_session(database_url) as session:
        session.add(file)
    return file.id


async def execute(database_url: str, sql: str, **params: Any) -> None:
    async with database_session(database_url) as session:
        await session.execute(sa.text(sql), params)


async def scalar(database_url: str, sql: str, **params: Any) -> Any:
    async with database_session(database_url) as session:
        return (await session.execute(sa.text(sql), params)).scalar()


async def snapshot(database_url: str, request_id: uuid.UUID) -> Json:
    """Everything an action may change: the row, its history, notices, decrees, counters."""
    params = {"id": request_id}
    async with database_session(database_url) as session:

        async def all_rows(sql: str, bound: Json | None = None) -> list[tuple[Any, ...]]:
            found = await session.execute(sa.text(sql), params if bound is None else bound)
            return [tuple(r) for r in found.all()]

        row = (
            (
                await session.execute(
                    sa.text("SELECT * FROM information_requests WHERE id = :id"), params
                )
            )
            .mappings()
            .one()
        )
        return {
            "request": dict(row),
            "events": await all_rows(
                "SELECT version, action, to_state FROM request_events "
                "WHERE request_id = :id ORDER BY version"
            ),
            "identity": await all_rows(
                "SELECT identity_verified_at FROM requester_identities WHERE request_id = :id"
            ),
            "notices": await all_rows("SELECT * FROM request_notices WHERE request_id = :id"),
            "decrees": await all_rows("SELECT * FROM refusal_decrees WHERE request_id = :id"),
            "counters": await all_rows(
                "SELECT root_id, year, series, last FROM number_counters WHERE series = 'SK'", {}
            ),
            "audit": await all_rows(
                "SELECT count(*) FROM audit_log WHERE object_id = :id", {"id": str(request_id)}
            ),
        }


async def act(
    client: httpx.AsyncClient,
    made: Made,
    action: str,
    headers: dict[str, str],
    body: Json | None = None,
) -> httpx.Response:
    return await client.post(f"{made.path}/{action}", json=body, headers=headers)


async def ok(
    client: httpx.AsyncClient,
    made: Made,
    action: str,
    headers: dict[str, str],
    body: Json | None = None,
) -> Json:
    response = await act(client, made, action, headers, body)
    assert response.status_code == 200, response.text
    assert response.headers["etag"]
    view: Json = response.json()
    return view


def problem(response: httpx.Response, status: int, slug: str | None = None) -> Json:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: Json = response.json()
    if slug is not None:
        assert body["type"] == f"/problems/{slug}", body
    return body


def pdf_text(pdf: bytes) -> str:
    """The text of fpdf's (deflated) content streams: its `Tj` strings, unescaped, one space
    between them (a wrapped line ends a string)."""
    streams = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            streams.append(stream.decode("latin-1"))
    shown = re.findall(r"\(((?:\\.|[^\\)])*)\)\s*Tj", "".join(streams))
    text = " ".join(re.sub(r"\\(.)", r"\1", part) for part in shown)
    return re.sub(r"\s+", " ", text)


FEES: list[Json] = [
    {
        "code": "FC-A4",
        "description": "Fotokopi dokumen ukuran A4",
        "unit_price": 200,
        "unit": "lembar",
        "effective_from": "2020-01-01",
        "decree_no": "188.45/12/KEP/2019",
    },
    {
        "code": "CD",
        "description": "Salinan pada keping CD",
        "unit_price": 5000,
        "unit": "keping",
        "effective_from": "2020-01-01",
        "decree_no": "188.45/12/KEP/2019",
    },
]


async def put_fees(
    client: httpx.AsyncClient, minter: Minter, items: list[Json] | None = None
) -> httpx.Response:
    """Replace the demo root's schedule (with the current ETag when one exists)."""
    path = f"/v1/requests/fees/{ROOT_ID}"
    current = await client.get(path)
    headers = official(minter, "ppid.utama")
    if current.json()["version"]:
        headers["If-Match"] = current.headers["etag"]
    return await client.put(path, json={"items": FEES if items is None else items}, headers=headers)
