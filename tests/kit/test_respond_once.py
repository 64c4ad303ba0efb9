"""`respond_once` on real PostgreSQL: the claim, produce, complete, respond sequence."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from ppid_kit.db import SessionDep
from ppid_kit.idempotency import IdempotencyKeyHeader, Outcome, respond_once
from ppid_kit.problems import CONFLICT, ProblemError
from ppid_kit.settings import ServiceSettings
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.kit.helpers import build_app, serving


class ClientCreate(BaseModel):
    name: str
    secret: str = ""


router = APIRouter()
produced: list[str] = []


@router.post("/v1/clients", status_code=201)
async def create_client(
    request: Request,
    session: SessionDep,
    body: ClientCreate,
    idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    async def produce() -> Outcome:
        if body.name == "taken":
            raise ProblemError(CONFLICT)
        produced.append(body.name)
        created = {"id": str(uuid.uuid4()), "name": body.name}
        return Outcome(
            201,
            {**created, "secret": "s3cret"},
            {"Location": f"/v1/clients/{created['id']}", "Cache-Control": "no-store"},
            replay={**created, "secret": None},
        )

    return await respond_once(
        request,
        session,
        scope="test:clients",
        key=idempotency_key,
        produce=produce,
        fingerprinted=body.name.encode(),  # the secret stays out of the fingerprint
    )


@router.post("/v1/notes", status_code=202)
async def accept_note(
    request: Request, session: SessionDep, idempotency_key: IdempotencyKeyHeader = None
) -> JSONResponse:
    async def produce() -> Outcome:
        return Outcome(202, {"accepted": str(uuid.uuid4())})

    return await respond_once(
        request, session, scope="test:notes", key=idempotency_key, produce=produce
    )


async def test_replay_sends_the_stored_content_and_headers(
    settings: ServiceSettings, kit_engine: AsyncEngine
) -> None:
    key = uuid.uuid4().hex
    produced.clear()
    async with serving(build_app(settings, [router])) as client:
        headers = {"Idempotency-Key": key}
        first = await client.post("/v1/clients", json={"name": "a", "secret": "x"}, headers=headers)
        retry = await client.post("/v1/clients", json={"name": "a", "secret": "y"}, headers=headers)
        other = await client.post("/v1/clients", json={"name": "b"}, headers=headers)
    assert produced == ["a"]
    assert first.status_code == retry.status_code == 201
    assert first.json()["secret"] == "s3cret"
    assert retry.json() == {**first.json(), "secret": None}
    for name in ("location", "cache-control"):
        assert retry.headers[name] == first.headers[name]
    assert other.status_code == 422
    assert other.json()["type"] == "/problems/idempotency-key-reused"
    async with kit_engine.connect() as conn:
        stored = await conn.execute(
            text("SELECT response_body FROM idempotency_keys WHERE key = :k"), {"k": key}
        )
        assert stored.scalar_one()["secret"] is None  # never kept for replay


async def test_without_a_key_every_call_produces(settings: ServiceSettings) -> None:
    produced.clear()
    async with serving(build_app(settings, [router])) as client:
        first = await client.post("/v1/clients", json={"name": "a"})
        second = await client.post("/v1/clients", json={"name": "a"})
    assert produced == ["a", "a"]
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


async def test_status_other_than_201_is_kept(settings: ServiceSettings) -> None:
    key = uuid.uuid4().hex
    async with serving(build_app(settings, [router])) as client:
        first = await client.post("/v1/notes", headers={"Idempotency-Key": key})
        retry = await client.post("/v1/notes", headers={"Idempotency-Key": key})
    assert first.status_code == retry.status_code == 202
    assert retry.json() == first.json()


async def test_a_failed_produce_leaves_the_key_free(
    settings: ServiceSettings, kit_engine: AsyncEngine
) -> None:
    key = uuid.uuid4().hex
    async with serving(build_app(settings, [router])) as client:
        refused = await client.post(
            "/v1/clients", json={"name": "taken"}, headers={"Idempotency-Key": key}
        )
        again = await client.post(
            "/v1/clients", json={"name": "taken"}, headers={"Idempotency-Key": key}
        )
    assert refused.status_code == again.status_code == 409
    async with kit_engine.connect() as conn:
        left = await conn.execute(
            text("SELECT count(*) FROM idempotency_keys WHERE key = :k"), {"k": key}
        )
        assert left.scalar_one() == 0  # rolled back with the request's transaction


@router.post("/v1/tickets", status_code=201)
async def open_ticket(
    request: Request, session: SessionDep, idempotency_key: IdempotencyKeyHeader = None
) -> JSONResponse:
    def secret_of(ticket_id: str) -> str:
        return f"derived-from-{ticket_id}"

    async def produce() -> Outcome:
        ticket_id = str(uuid.uuid4())
        shown = {"id": ticket_id, "secret": secret_of(ticket_id)}
        return Outcome(201, shown, replay={"id": ticket_id})

    return await respond_once(
        request,
        session,
        scope="test:tickets",
        key=idempotency_key,
        produce=produce,
        on_replay=lambda stored: {**stored, "secret": secret_of(stored["id"])},
    )


async def test_on_replay_rebuilds_what_was_not_stored(
    settings: ServiceSettings, kit_engine: AsyncEngine
) -> None:
    key = uuid.uuid4().hex
    async with serving(build_app(settings, [router])) as client:
        first = await client.post("/v1/tickets", headers={"Idempotency-Key": key})
        retry = await client.post("/v1/tickets", headers={"Idempotency-Key": key})
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert first.json()["secret"] == f"derived-from-{first.json()['id']}"
    async with kit_engine.connect() as conn:
        stored = await conn.execute(
            text("SELECT response_body FROM idempotency_keys WHERE key = :k"), {"k": key}
        )
        assert stored.scalar_one() == {"id": first.json()["id"]}
