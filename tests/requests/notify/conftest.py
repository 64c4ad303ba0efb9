"""Fixtures of the notification tests: a loopback SMTP server and auth's real unit tree."""

from __future__ import annotations

import httpx
import pytest
from ppid_kit.unit_tree import UnitTree

from tests.requests.harness import AuthStack
from tests.support.smtp import smtp

__all__ = ["smtp"]


@pytest.fixture(scope="module")
def unit_tree(auth_stack: AuthStack) -> UnitTree:
    """The demo badan publik's tree as auth serves it (with the PPID offices' addresses)."""
    response = httpx.get(f"{auth_stack.url}/v1/units/tree", timeout=10)
    response.raise_for_status()
    return UnitTree.from_json(response.json())
