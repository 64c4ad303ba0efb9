"""Fixtures of the files tests: the requests app on a local folder or on moto's S3."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.requests.files.support import Files, serve_files
from tests.requests.harness import AuthStack
from tests.support.procs import Proc
from tests.support.s3 import moto_server, s3_overrides

__all__ = ["moto_server"]  # the session fixture


@pytest.fixture
async def files(
    auth_stack: AuthStack, requests_database: str, tmp_path: Path
) -> AsyncIterator[Files]:
    """The app on a local private store (the periodic sweeper off)."""
    async with serve_files(auth_stack, requests_database, tmp_path / "objects") as running:
        yield running


@pytest.fixture
async def s3_files(
    auth_stack: AuthStack, requests_database: str, tmp_path: Path, moto_server: Proc
) -> AsyncIterator[Files]:
    """The app on a fresh private bucket of moto's S3 server (made by the lifespan)."""
    bucket = f"terbuka-requests-{secrets.token_hex(6)}"
    async with serve_files(
        auth_stack, requests_database, tmp_path / "unused", **s3_overrides(moto_server, bucket)
    ) as running:
        yield running
