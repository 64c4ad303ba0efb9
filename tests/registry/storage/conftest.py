"""The same tests run on the local folder and on a real moto S3 server on loopback."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from ppid_kit.storage import LocalStore, ObjectStore, S3Store, make_store
from registry_service.settings import RegistrySettings

from tests.support.procs import Proc
from tests.support.s3 import moto_server, s3_overrides

__all__ = ["moto_server"]  # the session fixture, shared with tests/registry/documents


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    """A fresh, empty store of each backend, built by `make_store` from settings."""
    if request.param == "local":
        built = make_store(RegistrySettings(storage_dir=tmp_path / "objects"))
        assert isinstance(built, LocalStore)
    else:
        moto: Proc = request.getfixturevalue("moto_server")
        bucket = f"terbuka-test-{secrets.token_hex(6)}"
        built = make_store(RegistrySettings(**s3_overrides(moto, bucket, public=True)))
        assert isinstance(built, S3Store)
        await built.ensure_bucket()
    return built
