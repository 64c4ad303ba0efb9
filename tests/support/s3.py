"""A real S3 server on loopback (moto's), shared by the registry's and the requests' tests.

Import the fixture into a conftest (`from tests.support.s3 import moto_server`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from tests.support.procs import Proc, free_port, running


@pytest.fixture(scope="session")
def moto_server() -> Iterator[Proc]:
    port = free_port()
    cmd = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    # GET / is ListBuckets: moto answers it once it serves S3.
    with running(cmd, port=port, ready_path="/", name="moto") as proc:
        yield proc


def s3_overrides(moto: Proc, bucket: str, *, public: bool = False) -> dict[str, Any]:
    """Storage settings (any service's) for a bucket on the moto server. `public`: presigned
    URLs name the server as `localhost` (the service itself calls it `127.0.0.1`)."""
    overrides = s3_overrides_at(moto.url, bucket)
    if public:
        overrides["s3_public_endpoint"] = public_url(moto)
    return overrides


def public_url(moto: Proc) -> str:
    """The moto server under another name than the services use, as a public host would be."""
    return moto.url.replace("127.0.0.1", "localhost")


def s3_overrides_at(endpoint: str, bucket: str) -> dict[str, Any]:
    """Storage settings (any service's) for a bucket at an S3 endpoint URL."""
    return {
        "storage_backend": "s3",
        "s3_endpoint": endpoint,  # http:// makes the client talk plain HTTP
        "s3_access_key": "testing",
        "s3_secret_key": SecretStr("testing"),
        "s3_bucket": bucket,
        "s3_region": "us-east-1",
    }
