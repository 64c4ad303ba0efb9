"""Fixtures of the registry tests: a registry database per module (auth: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.registry.harness import AuthStack, registry_settings, serve_registry
from tests.services.support import ScopedDatabase


@pytest.fixture(scope="module")
def registry_database(
    scoped_database: ScopedDatabase, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A fresh registry database per test module, dropped afterwards."""
    suffix = "_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    with scoped_database("registry", suffix) as url:
        yield url


@pytest.fixture
async def registry(
    auth_stack: AuthStack, registry_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[httpx.AsyncClient]:
    """The registry app (local-folder storage) trusting the real auth."""
    settings = registry_settings(
        auth_stack, registry_database, storage_dir=tmp_path_factory.mktemp("objects")
    )
    async with serve_registry(settings) as client:
        yield client
