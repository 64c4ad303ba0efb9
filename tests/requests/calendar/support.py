"""Helpers of the calendar tests: officials' headers, the root's URLs, raw rows."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

import httpx
import sqlalchemy as sa
from requests_service.core.models import (
    AccessMethod,
    Channel,
    DeliveryMethod,
    InformationRequest,
    RequesterCategory,
    RequestState,
)

from tests.requests.harness import DINKES_ID, ROOT_ID, Minter, demo_account
from tests.services.support import database_session

Json = dict[str, Any]
BASE = f"/v1/calendar/{ROOT_ID}"
POLICY = f"{BASE}/policy"
EN = {"Accept-Language": "en"}
_numbers = itertools.count(1)


def official(minter: Minter, local: str) -> dict[str, str]:
    """Headers of a demo official (`admin`, `ppid.utama`, `ppid.dinkes`, `petugas`…)."""
    return minter.official(demo_account(local))


async def rows(database_url: str, sql: str, **params: Any) -> list[sa.Row[Any]]:
    async with database_session(database_url) as session:
        return list((await session.execute(sa.text(sql), params)).all())


async def audit_actions(database_url: str, object_type: str) -> list[str]:
    found = await rows(
        database_url,
        "SELECT action FROM audit_log WHERE object_type = :type ORDER BY id",
        type=object_type,
    )
    return [row.action for row in found]


async def version(client: httpx.AsyncClient) -> int:
    """The demo root's calendar version now."""
    response = await client.get(POLICY)
    assert response.status_code == 200, response.text
    value: int = response.json()["version"]
    return value


async def seed(client: httpx.AsyncClient, headers: dict[str, str], year: int) -> Json:
    response = await client.post(f"{BASE}/seed", json={"year": year}, headers=headers)
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body


def field_messages(response: httpx.Response) -> dict[str, str]:
    """A 422 problem's `errors`, field → message."""
    assert response.status_code == 422, response.text
    return {error["field"]: error["message"] for error in response.json()["errors"]}


async def insert_request(
    database_url: str,
    *,
    received_at: str,
    receipt_date: str,
    notice_due: str,
    extended_due: str | None = None,
    state: RequestState = RequestState.IN_PROCESS,
    calendar_version: int = 0,
    root_id: uuid.UUID = ROOT_ID,
    time_zone: str = "Asia/Jakarta",
) -> InformationRequest:
    """A request row as intake would have stored it (version 1, no history needed)."""
    seq = next(_numbers)
    request = InformationRequest(
        root_id=root_id,
        target_unit_id=DINKES_ID,
        unit_id=DINKES_ID,
        year=2026,
        seq=seq,
        registration_number=f"KOTA-CONTOH/DINKES/PI/2026/{seq:05d}-{uuid.uuid4().hex[:6]}",
        channel=Channel.ONLINE,
        requester_category=RequesterCategory.PERORANGAN,
        information_requested="Anggaran program imunisasi 2025.",
        purpose="Penelitian.",
        access_method=AccessMethod.OBTAIN_COPY,
        delivery_method=DeliveryMethod.EMAIL,
        state=state,
        received_at=dt.datetime.fromisoformat(received_at),
        receipt_date=dt.date.fromisoformat(receipt_date),
        notice_due=dt.date.fromisoformat(notice_due),
        extended_due=None if extended_due is None else dt.date.fromisoformat(extended_due),
        extension_reason=None if extended_due is None else "Informasi tersebar di beberapa unit.",
        calendar_version=calendar_version,
        time_zone=time_zone,
        tracking_secret_hash="0" * 64,
        version=1,
    )
    async with database_session(database_url) as session:
        session.add(request)
    return request
