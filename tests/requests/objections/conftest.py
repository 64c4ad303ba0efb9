"""One requests database for the whole objections package (both modules), to keep the
suite fast: every test makes its own requests and filters by them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.services.support import ScopedDatabase


@pytest.fixture(scope="package")
def requests_database(scoped_database: ScopedDatabase) -> Iterator[str]:
    with scoped_database("requests", "_objections") as url:
        yield url
