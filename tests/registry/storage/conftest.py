"""The same tests run on the local folder and on a real moto S3 server on loopback."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from registry_service.settings import RegistrySettings
from registry_service.storage import LocalStore, ObjectStore, S3Store, make_store

from tests.support.procs import Proc, free_port, running


@pytest.fixture(scope="session")
def moto_server() -> Iterator[Proc]:
    port = free_port()
    cmd = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    # GET / is ListBuckets: moto answers it once it serves S3.
    with running(cmd, port=port, ready_path="/", name="moto") as proc:
        yield proc


def s3_settings(moto: Proc, bucket: str) -> RegistrySettings:
    return RegistrySettings(
        storage_backend="s3",
        s3_endpoint=moto.url,  # http:// makes the client talk plain HTTP
        s3_access_key="testing",
        s3_secret_key=SecretStr("testing"),
        s3_bucket=bucket,
        s3_region="us-east-1",
    )


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    """A fresh, empty store of each backend, built by `make_store` from settings."""
    if request.param == "local":
        built = make_store(RegistrySettings(storage_dir=tmp_path / "objects"))
        assert isinstance(built, LocalStore)
    else:
        moto: Proc = request.getfixturevalue("moto_server")
        built = make_store(s3_settings(moto, f"terbuka-test-{secrets.token_hex(6)}"))
        assert isinstance(built, S3Store)
        await built.ensure_bucket()
    return built
