"""Helpers of the objection tests: requests in the states that open each ground, the
objection form, filing through the API, and snapshots proving a refusal changed nothing.

Requests are written straight to the database (`tests.requests.support.store_request`);
objections are filed through `POST /v1/objections`, the path under test.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
from requests_service.core.models import NoticeOutcome, RequestState

from tests.requests.harness import Minter
from tests.requests.people import SITI, Person
from tests.requests.support import Json, Made, make_request
from tests.requests.webhooks.support import client_headers as client_token
from tests.services.support import one_row, rows

NOW = dt.datetime.now(dt.UTC)
PATH = "/v1/objections"


async def refused_request(database_url: str, person: Person = SITI, **options: Any) -> Made:
    """A request refused by written notice two days ago: grounds (a), (d), (e), (f)."""
    return await make_request(
        database_url,
        person,
        state=RequestState.CLOSED,
        notice_outcome=NoticeOutcome.REFUSED,
        notice_sent_at=NOW - dt.timedelta(days=2),
        **options,
    )


async def overdue_request(database_url: str, person: Person = SITI, **options: Any) -> Made:
    """A request received 40 days ago and still without a notice: ground (c)."""
    return await make_request(
        database_url,
        person,
        state=RequestState.IN_PROCESS,
        received_at=NOW - dt.timedelta(days=40),
        **options,
    )


def form(request: Made | None, reasons: list[str], **overrides: Any) -> Json:
    """A valid objection form on `request` (the requester's identity is copied)."""
    body: Json = {
        "request_id": None if request is None else str(request.id),
        "reasons": reasons,
        "purpose": "Bahan penelitian skripsi tentang layanan kesehatan",
        "case_position": "Permohonan saya ditolak tanpa uji konsekuensi yang jelas.",
    }
    return {**body, **overrides}


def objector(person: Person = SITI) -> Json:
    return {
        "name": person.name,
        "address": person.address,
        "occupation": person.occupation,
        "phone": person.phone,
        "email": person.email,
    }


async def file(
    client: httpx.AsyncClient, body: Json, headers: dict[str, str] | None = None
) -> Json:
    """`POST /v1/objections`, asserting 201; the body."""
    response = await client.post(PATH, json=body, headers=headers or {})
    assert response.status_code == 201, response.text
    made: Json = response.json()
    return made


async def counts(database_url: str) -> tuple[Any, ...]:
    """Everything a refused filing or action must leave alone."""
    return await one_row(
        database_url,
        "SELECT (SELECT count(*) FROM objections), (SELECT count(*) FROM objection_events), "
        "(SELECT count(*) FROM objector_identities), (SELECT count(*) FROM outbox_messages), "
        "(SELECT count(*) FROM audit_log), "
        "(SELECT coalesce(max(last), 0) FROM number_counters WHERE series IN ('KB', 'TK'))",
    )


async def outbox_to(database_url: str, recipient: str) -> list[Any]:
    return await rows(
        database_url,
        "SELECT subject, body_text FROM outbox_messages WHERE recipient = :r ORDER BY created_at",
        r=recipient,
    )


def problem_fields(response: httpx.Response) -> set[str]:
    return {error["field"] for error in response.json().get("errors", [])}


def path_of(objection: Json | uuid.UUID | str) -> str:
    ident = objection["id"] if isinstance(objection, dict) else objection
    return f"{PATH}/{ident}"


def client_headers(minter: Minter, client_id: str) -> dict[str, str]:
    """An API client's token (`typ: client`, no grants) that may submit and track."""
    return client_token(minter, client_id, "requests:submit requests:track")
