"""Fixtures of the documents tests: the registry on a local folder or on moto's S3."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.registry.documents.support import Docs, serve_docs
from tests.registry.harness import AuthStack
from tests.support.procs import Proc
from tests.support.s3 import moto_server, s3_overrides

__all__ = ["moto_server"]  # the session fixture, shared with tests/registry/storage


@pytest.fixture
async def docs(
    auth_stack: AuthStack, registry_database: str, tmp_path: Path
) -> AsyncIterator[Docs]:
    """The registry on a local folder (the periodic sweeper off: tests run it themselves)."""
    async with serve_docs(
        auth_stack, registry_database, storage_dir=tmp_path / "objects", sweep_interval_seconds=0
    ) as running:
        yield running


@pytest.fixture(params=[True], ids=["public"])
async def s3_docs(
    auth_stack: AuthStack, registry_database: str, moto_server: Proc, request: pytest.FixtureRequest
) -> AsyncIterator[Docs]:
    """The registry on a fresh bucket of moto's S3 server (created by the lifespan). With a
    public endpoint (the default), downloads redirect to presigned URLs; a test that
    parametrizes `s3_docs` with False gets a private store, streamed by the registry."""
    bucket = f"terbuka-docs-{secrets.token_hex(6)}"
    overrides = s3_overrides(moto_server, bucket, public=request.param)
    async with serve_docs(
        auth_stack, registry_database, sweep_interval_seconds=0, **overrides
    ) as running:
        yield running
