"""One transaction per request: committed before the response starts, rolled back on error."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import asyncpg
import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from ppid_kit.db import SessionDep, session_scope
from ppid_kit.problems import CONFLICT, ProblemError
from ppid_kit.settings import ServiceSettings
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.kit.helpers import build_app

# The default yield-dependency scope closes after the response is sent: the control case.
LateSessionDep = Annotated[AsyncSession, Depends(session_scope)]

router = APIRouter(prefix="/v1/notes")
INSERT = text("INSERT INTO kit_notes (marker) VALUES (:marker)")


@router.post("/{marker}", status_code=201)
async def create_note(marker: str, session: SessionDep) -> dict[str, str]:
    await (await session.connection()).execute(INSERT, {"marker": marker})
    return {"marker": marker}


@router.post("/{marker}/late", status_code=201)
async def create_note_late(marker: str, session: LateSessionDep) -> dict[str, str]:
    await (await session.connection()).execute(INSERT, {"marker": marker})
    return {"marker": marker}


@router.post("/{marker}/refused")
async def refuse_note(marker: str, session: SessionDep) -> None:
    await (await session.connection()).execute(INSERT, {"marker": marker})
    raise ProblemError(CONFLICT)


@router.post("/{marker}/crash")
async def crash_note(marker: str, session: SessionDep) -> None:
    await (await session.connection()).execute(INSERT, {"marker": marker})
    raise RuntimeError("crash after write")


@router.post("/{marker}/noted")
async def create_note_with_text(marker: str, note: str, session: SessionDep) -> None:
    """Writes the marker, then the client's text: a NUL in it fails the second write."""
    await (await session.connection()).execute(INSERT, {"marker": marker})
    await (await session.connection()).execute(INSERT, {"marker": f"{marker}:{note}"})


@pytest.fixture(scope="module")
async def observer(kit_db_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A separate connection that sees only committed rows."""
    conn = await asyncpg.connect(kit_db_url.replace("postgresql+asyncpg", "postgresql"))
    await conn.execute("CREATE TABLE IF NOT EXISTS kit_notes (marker text PRIMARY KEY)")
    yield conn
    await conn.close()


def _spy(app: FastAPI, conn: asyncpg.Connection, seen: list[int]) -> ASGIApp:
    """Wraps the app: counts committed notes at the moment the response starts."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def spying_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                marker = scope["path"].split("/")[3]
                seen.append(
                    await conn.fetchval("SELECT count(*) FROM kit_notes WHERE marker=$1", marker)
                )
            await send(message)

        await app(scope, receive, spying_send)

    return wrapped


async def _post(
    settings: ServiceSettings, conn: asyncpg.Connection, path: str
) -> tuple[httpx.Response, list[int]]:
    app = build_app(settings, [router])
    seen: list[int] = []
    transport = httpx.ASGITransport(_spy(app, conn, seen))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://kit.test") as client,
    ):
        response = await client.post(path)
    return response, seen


async def test_commit_happens_before_response_starts(
    settings: ServiceSettings, observer: asyncpg.Connection
) -> None:
    marker = uuid.uuid4().hex
    response, seen = await _post(settings, observer, f"/v1/notes/{marker}")
    assert response.status_code == 201
    assert seen == [1]


async def test_control_request_scope_commits_too_late(
    settings: ServiceSettings, observer: asyncpg.Connection
) -> None:
    """Shows the spy can tell: with the default scope the row is not there yet."""
    marker = uuid.uuid4().hex
    response, seen = await _post(settings, observer, f"/v1/notes/{marker}/late")
    assert response.status_code == 201
    assert seen == [0]
    assert await observer.fetchval("SELECT count(*) FROM kit_notes WHERE marker=$1", marker) == 1


@pytest.mark.parametrize(("suffix", "status"), [("refused", 409), ("crash", 500)])
async def test_error_rolls_back(
    settings: ServiceSettings, observer: asyncpg.Connection, suffix: str, status: int
) -> None:
    marker = uuid.uuid4().hex
    response, _ = await _post(settings, observer, f"/v1/notes/{marker}/{suffix}")
    assert response.status_code == status
    assert await observer.fetchval("SELECT count(*) FROM kit_notes WHERE marker=$1", marker) == 0


@pytest.mark.parametrize(
    ("language", "title"), [(None, "Teks tidak valid"), ("en", "Invalid text")]
)
async def test_text_postgresql_cannot_store_is_a_client_error(
    settings: ServiceSettings, observer: asyncpg.Connection, language: str | None, title: str
) -> None:
    """A NUL in a field (found by the API fuzzer) is refused with 422, not a 500, and the
    request's earlier write is rolled back with it."""
    marker = uuid.uuid4().hex
    app = build_app(settings, [router])
    headers = {"Accept-Language": language} if language else {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://kit.test") as client,
    ):
        response = await client.post(
            f"/v1/notes/{marker}/noted", params={"note": "a\x00b"}, headers=headers
        )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "/problems/invalid-text"
    assert response.json()["title"] == title
    assert await observer.fetchval("SELECT count(*) FROM kit_notes WHERE marker=$1", marker) == 0
