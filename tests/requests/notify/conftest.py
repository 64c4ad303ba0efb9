"""Fixtures of the notification tests: a loopback SMTP server, auth's real unit tree and
an engine on the module's database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.requests.harness import AuthStack
from tests.services.support import engine_for
from tests.support.smtp import smtp

__all__ = ["smtp"]


@pytest.fixture
async def engine(requests_database: str) -> AsyncIterator[AsyncEngine]:
    """An engine of the test's own on the module's database (not the app's)."""
    async with engine_for(requests_database, pool_size=4) as made:
        yield made


@pytest.fixture(scope="module")
def unit_tree(auth_stack: AuthStack) -> UnitTree:
    """The demo badan publik's tree as auth serves it (with the PPID offices' addresses)."""
    response = httpx.get(f"{auth_stack.url}/v1/units/tree", timeout=10)
    response.raise_for_status()
    return UnitTree.from_json(response.json())
