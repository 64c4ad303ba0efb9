"""Fixtures of the requester and outbox tests: a real database, a real SMTP server, the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest
from auth_service.main import create_app

from tests.auth.requesters.support import auth_settings, private_suffix
from tests.services.support import serve
from tests.support.smtp import SmtpServer, smtp
from tools import devdb

__all__ = ["smtp"]


@pytest.fixture(scope="module")
def database_url(
    migrated_database: Callable[..., str],
    pg_server: devdb.Server,
    request: pytest.FixtureRequest,
) -> Iterator[str]:
    """One database per test module, dropped afterwards."""
    suffix = private_suffix(request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_"))
    yield migrated_database("auth", suffix=suffix)
    devdb.drop_database(pg_server, f"terbuka_test_auth{suffix}")


@pytest.fixture
async def client(database_url: str, smtp: SmtpServer) -> AsyncIterator[httpx.AsyncClient]:
    """The auth app in its lifespan (so the real outbox worker runs), mailing to `smtp`."""
    async with serve(create_app(auth_settings(database_url, smtp))) as client:
        yield client
