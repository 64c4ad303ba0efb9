"""Fixtures of the accounts tests: one migrated database per test module."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.auth.accounts.support import Tree, seed_tree


@pytest.fixture(scope="module")
def database_url(request: pytest.FixtureRequest, migrated_database: Callable[..., str]) -> str:
    """A database of its own per module (`_acc_<module>`): other suites run concurrently."""
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    return migrated_database("auth", suffix=f"_acc_{module}")


@pytest.fixture(scope="module")
async def tree(database_url: str) -> Tree:
    return await seed_tree(database_url)
