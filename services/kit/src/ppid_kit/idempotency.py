"""`Idempotency-Key` support: a retried create returns the first response."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ppid_kit.problems import IDEMPOTENCY_MISMATCH, ProblemError
from ppid_kit.tables import IDEMPOTENCY_TABLE as _T

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Makes a retried create return the first response (24 hours at least).",
    ),
]


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def to_response(self) -> JSONResponse:
        return JSONResponse(self.body, status_code=self.status_code, headers=self.headers)


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))  # length-prefixed: no ambiguity
        digest.update(part)
    return digest.hexdigest()


async def claim(
    session: AsyncSession,
    *,
    scope: str,
    key: str,
    fingerprint: str,
    ttl: timedelta = timedelta(hours=24),
) -> StoredResponse | None:
    """Claim `key` within `scope` (e.g. the caller's id) for the current transaction.

    None: go ahead, then `complete()` in the same transaction. A concurrent request
    with the same key waits on the row lock until this transaction ends. Rolled
    back, the claim disappears and a retry starts afresh.
    """
    now = datetime.now(UTC)
    conn = await session.connection()  # core statements, in the session's transaction
    await conn.execute(
        insert(_T)
        .values(scope=scope, key=key, fingerprint=fingerprint, created_at=now, expires_at=now + ttl)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
    )
    row = (
        await conn.execute(
            select(
                _T.c.fingerprint,
                _T.c.status_code,
                _T.c.response_body,
                _T.c.response_headers,
                _T.c.expires_at,
            )
            .where(_T.c.scope == scope, _T.c.key == key)
            .with_for_update()
        )
    ).one()
    if row.expires_at <= now:  # an old claim: the key is free to mean something new
        await conn.execute(
            update(_T)
            .where(_T.c.scope == scope, _T.c.key == key)
            .values(
                fingerprint=fingerprint,
                status_code=None,
                response_body=None,
                response_headers=None,
                created_at=now,
                expires_at=now + ttl,
            )
        )
        return None
    if row.fingerprint != fingerprint:
        raise ProblemError(IDEMPOTENCY_MISMATCH)
    if row.status_code is None:
        return None
    return StoredResponse(row.status_code, row.response_body, dict(row.response_headers or {}))


async def complete(
    session: AsyncSession,
    *,
    scope: str,
    key: str,
    status_code: int,
    body: Any,
    headers: dict[str, str] | None = None,
) -> None:
    """Store the response for a claimed key (JSON-compatible `body`)."""
    conn = await session.connection()
    result = await conn.execute(
        update(_T)
        .where(_T.c.scope == scope, _T.c.key == key)
        .values(status_code=status_code, response_body=body, response_headers=headers or {})
    )
    if result.rowcount != 1:
        raise LookupError(f"idempotency key {key!r} was not claimed in scope {scope!r}")


async def purge_expired(session: AsyncSession) -> int:
    """Delete expired keys; returns how many."""
    conn = await session.connection()
    result = await conn.execute(delete(_T).where(_T.c.expires_at < datetime.now(UTC)))
    return int(result.rowcount)


@dataclass(frozen=True)
class Outcome:
    """What a create answers: `content` now, `replay` (when given) to a retry with the same key.

    `replay` is for what must not be stored, such as a secret shown once.
    """

    status_code: int
    content: Any
    headers: dict[str, str] = field(default_factory=dict)
    replay: Any | None = None


async def respond_once(
    request: Request,
    session: AsyncSession,
    *,
    scope: str,
    key: str | None,
    produce: Callable[[], Awaitable[Outcome]],
    fingerprinted: bytes | None = None,
    on_replay: Callable[[Any], Any] | None = None,
) -> JSONResponse:
    """Answer a create at most once per `key`: claim, `produce()`, complete, respond.

    Without a key, `produce()` runs every time. `fingerprinted` replaces the request
    body in the fingerprint (e.g. to leave a password out of it). `on_replay` turns the
    stored body into the one a retry gets (e.g. a secret derived again, never stored).
    """
    if key is not None:
        body = await request.body() if fingerprinted is None else fingerprinted
        digest = fingerprint(request.method, request.url.path, body)
        stored = await claim(session, scope=scope, key=key, fingerprint=digest)
        if stored is not None:
            if on_replay is not None:
                stored = replace(stored, body=on_replay(stored.body))
            return stored.to_response()
    outcome = await produce()
    if key is not None:
        replay = outcome.content if outcome.replay is None else outcome.replay
        await complete(
            session,
            scope=scope,
            key=key,
            status_code=outcome.status_code,
            body=replay,
            headers=outcome.headers,
        )
    return JSONResponse(outcome.content, status_code=outcome.status_code, headers=outcome.headers)
