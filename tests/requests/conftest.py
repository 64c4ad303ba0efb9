"""Fixtures of the requests tests: a database per module, the app trusting real auth,
and the personal-data guard over the whole suite."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.requests.harness import AuthStack, requests_settings, serve_requests
from tests.requests.pii import GUARD
from tests.services.support import ScopedDatabase


@pytest.fixture(scope="session", autouse=True)
def personal_data_guard() -> Iterator[None]:
    """Fails the suite if a test requester's NIK, phone or address leaked (DOMAIN.md 17)."""
    handler = GUARD.handler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    assert not GUARD.findings, "personal data leaked:\n" + "\n".join(GUARD.findings[:20])


@pytest.fixture(scope="module")
def requests_database(
    scoped_database: ScopedDatabase, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A fresh requests database per test module, dropped afterwards."""
    parts = request.module.__name__.split(".")
    suffix = "_" + "_".join(p.removeprefix("test_") for p in parts[2:])
    with scoped_database("requests", suffix) as url:
        yield url


@pytest.fixture
async def requests_client(
    auth_stack: AuthStack, requests_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[httpx.AsyncClient]:
    """The requests app (local private store, no SMTP server) trusting the real auth."""
    settings = requests_settings(
        auth_stack, requests_database, tmp_path_factory.mktemp("request-objects")
    )
    async with serve_requests(settings) as client:
        yield client
