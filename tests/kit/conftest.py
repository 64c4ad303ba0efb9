"""Fixtures of the kit's tests: one migrated database, a JWKS server, app settings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
from ppid_kit.db import create_engine
from ppid_kit.settings import ServiceSettings
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.kit.helpers import JWKSServer, migrate_kit_tables


@pytest.fixture(scope="session")
def kit_db_url(fresh_database: Callable[[str], str]) -> str:
    """A fresh database holding the kit tables, built by the kit's migration helper."""
    url = fresh_database("kit")
    asyncio.run(migrate_kit_tables(url))
    return url


@pytest.fixture(scope="session")
async def kit_engine(kit_db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(kit_db_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture
def settings(kit_db_url: str) -> ServiceSettings:
    return ServiceSettings(database_url=kit_db_url, cursor_secret=SecretStr("test-secret"))


@pytest.fixture(scope="session")
def jwks_server() -> Iterator[JWKSServer]:
    server = JWKSServer()
    server.start()
    yield server
    server.stop()
