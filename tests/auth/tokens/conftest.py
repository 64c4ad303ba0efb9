"""Fixtures of the tokens tests: a migrated database and an in-process app per module."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest
from auth_service.main import create_app
from fastapi import FastAPI

from tests.auth.tokens.support import Tree, seed_tree, settings_for
from tests.services.support import transaction
from tests.support.lifespan import in_lifespan
from tools import devdb


@pytest.fixture(scope="module")
def database_url(
    request: pytest.FixtureRequest,
    migrated_database: Callable[..., str],
    pg_server: devdb.Server,
) -> Iterator[str]:
    """A database of its own per module and per pytest process, dropped afterwards.

    The process id keeps two concurrent runs of these tests (several engineers, one
    PostgreSQL) from recreating each other's database in the middle of a test.
    """
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    suffix = f"_tokens_{module}_{os.getpid()}"
    yield migrated_database("auth", suffix=suffix)
    devdb.drop_database(pg_server, f"terbuka_test_auth{suffix}")


@pytest.fixture(scope="module")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(settings_for(database_url))
    async with in_lifespan(application):
        yield application


@pytest.fixture(scope="module")
async def tree(app: FastAPI) -> Tree:
    """A root with one OPD, seeded once per module."""
    async with transaction(app.state.engine) as session:
        return await seed_tree(session)


@pytest.fixture(scope="module")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
