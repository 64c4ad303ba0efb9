"""Helpers for the kit's tests: build a real service app and talk to it in-process."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from fastapi import APIRouter, FastAPI
from ppid_kit.app import Lifespan, create_service_app
from ppid_kit.db import create_engine
from ppid_kit.migrations import create_kit_tables, drop_kit_tables
from ppid_kit.settings import ServiceSettings
from sqlalchemy import Connection

from tests.support.loopback import Answer, LoopbackServer
from tests.support.procs import free_port

APP_NAME = "kit-test"


def closed_port_url() -> str:
    """A database URL nothing listens on."""
    return f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nothing"


def build_app(
    settings: ServiceSettings,
    routers: Sequence[APIRouter] = (),
    *,
    lifespan: Lifespan | None = None,
) -> FastAPI:
    return create_service_app(
        name=APP_NAME,
        title="Kit test",
        version="0.0.1",
        settings=settings,
        routers=routers,
        lifespan=lifespan,
    )


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Run the app's lifespan and yield an in-process client."""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://kit.test") as c,
    ):
        yield c


def _run_ops(sync_conn: Connection, *, drop: bool) -> None:
    context = MigrationContext.configure(sync_conn)
    with Operations.context(context):
        if drop:
            drop_kit_tables()
        else:
            create_kit_tables()


async def migrate_kit_tables(url: str, *, drop: bool = False) -> None:
    """Run the kit DDL as a service's first Alembic revision would."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run_ops, drop=drop)
    finally:
        await engine.dispose()


class JWKSServer(LoopbackServer):
    """A real HTTP server on loopback serving a mutable JWKS, counting fetches."""

    def __init__(self) -> None:
        super().__init__("/.well-known/jwks.json")
        self.keys: list[dict[str, Any]] = []

    def answer(self, path: str, headers: Mapping[str, str]) -> Answer:
        body = json.dumps({"keys": self.keys}).encode()
        return 200, {"Content-Type": "application/json"}, body


async def wait_until_blocked(task: asyncio.Task[Any], seconds: float = 0.5) -> bool:
    """True when `task` is still pending after `seconds` (it waits on something)."""
    await asyncio.sleep(seconds)
    return not task.done()
