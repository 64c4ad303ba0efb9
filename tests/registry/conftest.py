"""Fixtures of the registry tests: real auth (a process), a registry database per module."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from tests.registry.harness import (
    AuthStack,
    Minter,
    auth_process,
    read_minter,
    seed_demo,
    serve_registry,
)
from tools import devdb


@pytest.fixture(scope="session")
def auth_stack(
    migrated_database: Callable[..., str], pg_server: devdb.Server
) -> Iterator[AuthStack]:
    """One auth service for the whole registry suite, with the demo badan publik."""
    # The pid keeps concurrent test runs on one PostgreSQL out of each other's way.
    suffix = f"_for_registry_{os.getpid()}"
    url = migrated_database("auth", suffix=suffix)
    seed_demo(url)
    minter = asyncio.run(read_minter(url))
    with auth_process(url) as proc:
        yield AuthStack(proc=proc, database_url=url, minter=minter)
    devdb.drop_database(pg_server, f"terbuka_test_auth{suffix}")


@pytest.fixture
def minter(auth_stack: AuthStack) -> Minter:
    return auth_stack.minter


@pytest.fixture(scope="module")
def registry_database(
    migrated_database: Callable[..., str],
    pg_server: devdb.Server,
    request: pytest.FixtureRequest,
) -> Iterator[str]:
    """A fresh registry database per test module, dropped afterwards."""
    suffix = "_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    yield migrated_database("registry", suffix=suffix)
    devdb.drop_database(pg_server, f"terbuka_test_registry{suffix}")


@pytest.fixture
async def registry(
    auth_stack: AuthStack, registry_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[httpx.AsyncClient]:
    """The registry app (local-folder storage) trusting the real auth."""
    settings = auth_stack.registry_settings(
        registry_database, storage_dir=tmp_path_factory.mktemp("objects")
    )
    async with serve_registry(settings) as client:
        yield client
