"""Helpers of the calendar tests: the root's URLs, its calendar version, raw rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from requests_service.core.models import InformationRequest, RequestState

from tests.requests.harness import ROOT_ID
from tests.requests.support import Json, new_request
from tests.services.support import database_session, rows

BASE = f"/v1/calendar/{ROOT_ID}"
POLICY = f"{BASE}/policy"
EN = {"Accept-Language": "en"}


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
    **fields: Any,
) -> InformationRequest:
    """A request row alone, as intake stored it (version 1, no identity, no history), with
    its deadlines as given; `fields`: `new_request`'s."""
    request, _ = new_request(
        received_at=dt.datetime.fromisoformat(received_at),
        receipt_date=dt.date.fromisoformat(receipt_date),
        notice_due=dt.date.fromisoformat(notice_due),
        extended_due=None if extended_due is None else dt.date.fromisoformat(extended_due),
        extension_reason=None if extended_due is None else "Informasi tersebar di beberapa unit.",
        state=state,
        version=1,
        **fields,
    )
    async with database_session(database_url) as session:
        session.add(request)
    return request
