"""Helpers of the intake and tracking tests: a valid form, submitting it, reading rows."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import sqlalchemy as sa

from tests.requests.harness import DINKES_ID, Minter, demo_account
from tests.requests.people import SITI, Person
from tests.services.support import database_session

Json = dict[str, Any]


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


def requester_headers(minter: Minter, account: uuid.UUID | None = None) -> dict[str, str]:
    return minter.headers([], sub=account or uuid.uuid4(), typ="requester")


def official(minter: Minter, local: str) -> dict[str, str]:
    return minter.official(demo_account(local))


async def submit(
    client: httpx.AsyncClient, body: Json | None = None, headers: dict[str, str] | None = None
) -> Json:
    """Submit (a valid form by default) and return the 201 body."""
    response = await client.post("/v1/requests", json=body or form(), headers=headers or {})
    assert response.status_code == 201, response.text
    made: Json = response.json()
    return made


async def rows(database_url: str, sql: str, **params: Any) -> list[sa.Row[Any]]:
    async with database_session(database_url) as session:
        return list((await session.execute(sa.text(sql), params)).all())


async def execute(database_url: str, sql: str, **params: Any) -> None:
    """A statement without rows (an UPDATE setting a request up for a test)."""
    async with database_session(database_url) as session:
        await session.execute(sa.text(sql), params)
