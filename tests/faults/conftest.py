"""Fixtures of the fault tests: real processes we are allowed to break.

Everything broken here is ours: a throwaway PostgreSQL cluster, a TCP relay in front
of moto's S3, a requests process, an SMTP server. The shared server on 5432 only holds
the databases the ordinary fixtures make and drop.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.services.support import ScopedDatabase
from tests.support.s3 import moto_server

__all__ = ["moto_server"]  # the session fixture


@pytest.fixture(scope="module")
def faults_database(
    scoped_database: ScopedDatabase, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A fresh requests database on the shared server per module, dropped afterwards."""
    suffix = "_faults_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    with scoped_database("requests", suffix) as url:
        yield url
