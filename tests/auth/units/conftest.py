"""Fixtures of the units tests: one migrated database and one app per module."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from auth_service.units import service
from auth_service.units.models import RootTimeZone

from tests.auth.units.support import Minter, Roots, serve_auth
from tests.services.support import database_session


@pytest.fixture(scope="module")
def database_url(request: pytest.FixtureRequest, migrated_database: Callable[..., str]) -> str:
    """A database of its own for each test module (`_units_<module>`)."""
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    return migrated_database("auth", suffix=f"_units_{module}")


@pytest.fixture(scope="module")
async def served(database_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Minter]]:
    async with serve_auth(database_url) as pair:
        yield pair


@pytest.fixture(scope="module")
def client(served: tuple[httpx.AsyncClient, Minter]) -> httpx.AsyncClient:
    return served[0]


@pytest.fixture(scope="module")
def minter(served: tuple[httpx.AsyncClient, Minter]) -> Minter:
    return served[1]


@pytest.fixture(scope="module")
async def roots(database_url: str) -> Roots:
    """Two roots made as the operator makes them (`units.cli create-root`)."""
    async with database_session(database_url) as session:
        a = await service.create_root(
            session, code="kota-a", name="Pemerintah Kota A", time_zone=RootTimeZone.WIB
        )
        b = await service.create_root(
            session, code="kab-b", name="Pemerintah Kabupaten B", time_zone=RootTimeZone.WITA
        )
    return Roots(a.id, b.id)
