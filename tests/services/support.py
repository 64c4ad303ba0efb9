"""Helpers for the service tests: real apps in-process, real databases, real migrations."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from auth_service.main import create_app as create_auth_app
from auth_service.settings import AuthSettings
from fastapi import FastAPI
from ppid_kit.db import create_engine
from registry_service.main import create_app as create_registry_app
from registry_service.settings import RegistrySettings
from requests_service.main import create_app as create_requests_app
from requests_service.settings import RequestsSettings
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.support.lifespan import in_lifespan
from tools.services import SERVICES, App

CURSOR_SECRET = "test-cursor-secret"
Json = dict[str, Any]


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
async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app inside its lifespan, reached in-process over ASGI."""
    async with in_lifespan(app) as running:
        transport = httpx.ASGITransport(app=running)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@contextlib.asynccontextmanager
async def database_session(database_url: str) -> AsyncIterator[AsyncSession]:
    """A session in one transaction, committed on exit: for seeding rows."""
    engine = create_engine(database_url, pool_size=1)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            yield session
    finally:
        await engine.dispose()


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
