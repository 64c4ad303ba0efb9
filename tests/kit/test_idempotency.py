"""Idempotency keys on real PostgreSQL: replay, mismatch, concurrent claims, expiry."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from ppid_kit.db import SessionDep
from ppid_kit.idempotency import (
    IdempotencyKeyHeader,
    Outcome,
    StoredResponse,
    claim,
    complete,
    fingerprint,
    purge_expired,
    respond_once,
)
from ppid_kit.problems import IDEMPOTENCY_MISMATCH, ProblemError
from ppid_kit.settings import ServiceSettings
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.kit.helpers import build_app, serving, wait_until_blocked


class RequestCreate(BaseModel):
    subject: str


router = APIRouter()


@router.post("/v1/requests", status_code=201)
async def submit_request(
    request: Request,
    body: RequestCreate,
    session: SessionDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    async def produce() -> Outcome:
        created = {"id": str(uuid.uuid4()), "subject": body.subject}
        return Outcome(201, created, {"Location": f"/v1/requests/{created['id']}"})

    return await respond_once(
        request, session, scope="test:submit", key=idempotency_key, produce=produce
    )


def test_fingerprint_covers_method_path_and_body() -> None:
    base = fingerprint("POST", "/v1/a", b"{}")
    assert base == fingerprint("post", "/v1/a", b"{}")
    assert base != fingerprint("PUT", "/v1/a", b"{}")
    assert base != fingerprint("POST", "/v1/b", b"{}")
    assert base != fingerprint("POST", "/v1/a", b"{ }")
    assert fingerprint("POST", "/v1/ab", b"c") != fingerprint("POST", "/v1/a", b"bc")


async def test_retry_returns_first_response(settings: ServiceSettings) -> None:
    key = uuid.uuid4().hex
    async with serving(build_app(settings, [router])) as client:
        first = await client.post(
            "/v1/requests", json={"subject": "APBD"}, headers={"Idempotency-Key": key}
        )
        retry = await client.post(
            "/v1/requests", json={"subject": "APBD"}, headers={"Idempotency-Key": key}
        )
        other = await client.post(
            "/v1/requests", json={"subject": "RKA"}, headers={"Idempotency-Key": key}
        )
        fresh = await client.post("/v1/requests", json={"subject": "APBD"})
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["location"] == first.headers["location"]
    assert fresh.json()["id"] != first.json()["id"]
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["type"] == "/problems/idempotency-key-reused"


async def test_bad_keys_are_validation_errors(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        spaced = await client.post(
            "/v1/requests", json={"subject": "x"}, headers={"Idempotency-Key": "a b"}
        )
        long = await client.post(
            "/v1/requests", json={"subject": "x"}, headers={"Idempotency-Key": "k" * 256}
        )
    assert spaced.status_code == long.status_code == 422
    assert spaced.json()["errors"][0]["field"] == "header.Idempotency-Key"


async def test_concurrent_claims_serialize(kit_engine: AsyncEngine) -> None:
    key, scope = uuid.uuid4().hex, "test:concurrent"
    async with AsyncSession(kit_engine) as first, AsyncSession(kit_engine) as second:
        async with first.begin():
            assert await claim(first, scope=scope, key=key, fingerprint="f") is None

            async def claim_second() -> StoredResponse | None:
                async with second.begin():
                    return await claim(second, scope=scope, key=key, fingerprint="f")

            waiting = asyncio.create_task(claim_second())
            assert await wait_until_blocked(waiting)  # blocked on the uncommitted claim
            await complete(first, scope=scope, key=key, status_code=201, body={"id": 1})
        stored = await asyncio.wait_for(waiting, 5)
    assert stored == StoredResponse(201, {"id": 1}, {})


async def test_rolled_back_claim_frees_the_key(kit_engine: AsyncEngine) -> None:
    key, scope = uuid.uuid4().hex, "test:rollback"
    async with AsyncSession(kit_engine) as first, AsyncSession(kit_engine) as second:
        await first.begin()
        assert await claim(first, scope=scope, key=key, fingerprint="f") is None

        async def claim_second() -> StoredResponse | None:
            async with second.begin():
                result = await claim(second, scope=scope, key=key, fingerprint="g")
                await complete(second, scope=scope, key=key, status_code=200, body=None)
                return result

        waiting = asyncio.create_task(claim_second())
        assert await wait_until_blocked(waiting)
        await first.rollback()
        assert await asyncio.wait_for(waiting, 5) is None  # proceeds as the first claimant


async def test_mismatch_and_incomplete_claims(kit_engine: AsyncEngine) -> None:
    key, scope = uuid.uuid4().hex, "test:mismatch"
    async with AsyncSession(kit_engine) as session, session.begin():
        assert await claim(session, scope=scope, key=key, fingerprint="f") is None
        # Same fingerprint, not completed yet (same transaction): go ahead again.
        assert await claim(session, scope=scope, key=key, fingerprint="f") is None
        with pytest.raises(ProblemError) as caught:
            await claim(session, scope=scope, key=key, fingerprint="other")
        assert caught.value.kind is IDEMPOTENCY_MISMATCH
        # Another scope is another namespace.
        assert await claim(session, scope=scope + ":b", key=key, fingerprint="other") is None


async def test_expired_key_can_be_reused_and_purged(kit_engine: AsyncEngine) -> None:
    key, scope = uuid.uuid4().hex, "test:expiry"
    async with AsyncSession(kit_engine) as session, session.begin():
        await claim(session, scope=scope, key=key, fingerprint="f", ttl=timedelta(seconds=-1))
        await complete(session, scope=scope, key=key, status_code=201, body={"old": True})
    async with AsyncSession(kit_engine) as session, session.begin():
        assert await claim(session, scope=scope, key=key, fingerprint="new") is None
        await complete(session, scope=scope, key=key, status_code=201, body={"new": True})
    async with AsyncSession(kit_engine) as session, session.begin():
        stored = await claim(session, scope=scope, key=key, fingerprint="new")
        assert stored is not None
        assert stored.body == {"new": True}
        other = uuid.uuid4().hex
        await claim(session, scope=scope, key=other, fingerprint="f", ttl=timedelta(seconds=-1))
    async with AsyncSession(kit_engine) as session, session.begin():
        assert await purge_expired(session) >= 1
        conn = await session.connection()
        left = await conn.execute(
            text("SELECT key FROM idempotency_keys WHERE scope = :s"), {"s": scope}
        )
        assert [row[0] for row in left] == [key]


async def test_complete_without_claim_fails(kit_engine: AsyncEngine) -> None:
    async with AsyncSession(kit_engine) as session, session.begin():
        with pytest.raises(LookupError):
            await complete(session, scope="test:none", key="missing", status_code=201, body={})
