"""Helpers for the service tests: real apps in-process, real databases, real migrations."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import httpx
import sqlalchemy as sa
from auth_service.main import create_app as create_auth_app
from auth_service.settings import AuthSettings
from fastapi import FastAPI
from ppid_kit.db import create_engine
from registry_service.main import create_app as create_registry_app
from registry_service.settings import RegistrySettings
from requests_service.main import create_app as create_requests_app
from requests_service.settings import RequestsSettings
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.types import ASGIApp

from tests.support.lifespan import in_lifespan
from tools.services import SERVICES, App

CURSOR_SECRET = "test-cursor-secret"
Json = dict[str, Any]
# The session fixture `scoped_database` (tests/conftest.py): `with scoped(service, suffix) as url`.
ScopedDatabase = Callable[[str, str], AbstractContextManager[str]]


def auth_app(database_url: str) -> FastAPI:
    return create_auth_app(AuthSettings(database_url=database_url, cursor_secret=CURSOR_SECRET))


def registry_app(database_url: str) -> FastAPI:
    settings = RegistrySettings(database_url=database_url, cursor_secret=CURSOR_SECRET)
    return create_registry_app(settings)


def requests_app(database_url: str) -> FastAPI:
    settings = RequestsSettings(database_url=database_url, cursor_secret=CURSOR_SECRET)
    return create_requests_app(settings)


@dataclass(frozen=True)
class Service:
    """One service as the convention tests see it."""

    name: str
    make_app: Callable[[str], FastAPI]
    list_path: str
    probe_path: str  # a concrete path whose route template is `probe_template`
    probe_template: str

    @property
    def app(self) -> App:
        return next(app for app in SERVICES if app.name == self.name)


AUTH = Service(
    "auth",
    auth_app,
    "/v1/units",
    "/v1/units/00000000-0000-4000-8000-000000000000",
    "/v1/units/{unit_id}",
)
REGISTRY = Service(
    "registry",
    registry_app,
    "/v1/dip/entries",
    "/v1/dip/entries/00000000-0000-4000-8000-000000000000",
    "/v1/dip/entries/{entry_id}",
)
REQUESTS = Service(
    "requests",
    requests_app,
    "/v1/calendar/holidays",
    "/v1/calendar/holidays",
    "/v1/calendar/holidays",
)
ALL_SERVICES = (AUTH, REGISTRY, REQUESTS)


@contextlib.asynccontextmanager
async def serve(app: ASGIApp, **client_options: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The app inside its lifespan, reached in-process over ASGI (`client_options`: more
    `httpx.AsyncClient` arguments, e.g. `event_hooks`)."""
    async with in_lifespan(app) as running:
        transport = httpx.ASGITransport(app=running)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", **client_options
        ) as client:
            yield client


@contextlib.asynccontextmanager
async def engine_for(database_url: str, pool_size: int = 2) -> AsyncIterator[AsyncEngine]:
    """An engine of the test's own (not an app's), disposed afterwards."""
    engine = create_engine(database_url, pool_size=pool_size)
    try:
        yield engine
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def transaction(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session in one transaction, committed on a clean exit, rolled back otherwise."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextlib.asynccontextmanager
async def database_session(database_url: str) -> AsyncIterator[AsyncSession]:
    """A session in one transaction, committed on exit: for seeding rows."""
    async with engine_for(database_url, pool_size=1) as engine, transaction(engine) as session:
        yield session


async def rows(database_url: str, sql: str, **params: Any) -> list[sa.Row[Any]]:
    """The rows of one SQL query (`:name` parameters)."""
    async with database_session(database_url) as session:
        return list((await session.execute(sa.text(sql), params)).all())


async def one_row(database_url: str, sql: str, **params: Any) -> tuple[Any, ...]:
    """The one row of one SQL query (`:name` parameters), as a tuple."""
    [found] = await rows(database_url, sql, **params)
    return tuple(found)


async def scalar(database_url: str, sql: str, **params: Any) -> Any:
    """The first column of the first row of one SQL query (None without rows)."""
    async with database_session(database_url) as session:
        return (await session.execute(sa.text(sql), params)).scalar()


async def execute(database_url: str, sql: str, **params: Any) -> None:
    """One SQL statement without rows (an UPDATE setting a test up), committed."""
    async with database_session(database_url) as session:
        await session.execute(sa.text(sql), params)


async def post_file(
    client: httpx.AsyncClient,
    path: str,
    content: bytes,
    headers: dict[str, str],
    *,
    filename: str,
    content_type: str,
    **fields: str,
) -> httpx.Response:
    """POST a multipart form the way httpx encodes it (`fields` first, then the file)."""
    files = {"file": (filename, content, content_type)}
    return await client.post(path, files=files, data=fields, headers=headers)


def next_url(response: httpx.Response) -> str | None:
    """The target of the RFC 8288 `Link: <…>; rel="next"` header, if any."""
    found = re.fullmatch(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
    return found.group(1) if found else None


async def all_pages(client: httpx.AsyncClient, path: str, params: Json) -> list[list[Json]]:
    """Follow `Link: rel="next"` from the first page to the last; checks each page's shape."""
    pages: list[list[Json]] = []
    url: str | None = str(httpx.URL(path, params=params))
    while url is not None:
        response = await client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["items"])
        url = next_url(response)
        assert (url is None) == (body["next_cursor"] is None)
        assert len(pages) < 100, "pagination does not end"
    return pages


def tamper(cursor: str) -> str:
    """The same cursor with one character in the middle changed."""
    middle = len(cursor) // 2
    replacement = "A" if cursor[middle] != "A" else "B"
    return cursor[:middle] + replacement + cursor[middle + 1 :]


def alembic(app: App, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the service's Alembic the way `tools.services.migrate` does."""
    env = {**os.environ, f"{app.env_prefix}DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(app.folder / "alembic.ini"), *args],
        check=False,
        env=env,
        cwd=app.folder,
        capture_output=True,
        text=True,
    )
