"""Settings of the object store, a mixin for a service's settings.

`class FooSettings(ServiceSettings, StorageSettings)` with `env_prefix="FOO_"` reads
`FOO_STORAGE_BACKEND`, `FOO_S3_ENDPOINT`, …; a service overrides the defaults that
should name it (`storage_dir`, `s3_bucket`) in its own class.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class StorageSettings(BaseSettings):
    """Where objects live: the local folder on a single machine, S3 (MinIO) in a cluster."""

    model_config = SettingsConfigDict(extra="ignore")

    storage_backend: Literal["local", "s3"] = "local"
    storage_dir: Path = Path("var/objects")
    s3_endpoint: str = "127.0.0.1:9000"
    s3_access_key: str = ""
    s3_secret_key: SecretStr = SecretStr("")
    s3_bucket: str = "terbuka-objects"
    s3_secure: bool = True
    # Set it: without a region minio asks the server before presigning.
    s3_region: str = "us-east-1"
    # A store that does not answer fails a request after the connect timeout (minio's own
    # default is 5 minutes) plus `s3_retries` retries with a short back-off, so an outage
    # gives a prompt 503. The read timeout bounds a stalled transfer, not a long one.
    s3_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    s3_read_timeout_seconds: float = Field(default=60.0, gt=0)
    s3_retries: int = Field(default=2, ge=0, le=10)
    # The store as the API's clients reach it (a URL, e.g. https://berkas.example.go.id).
    # Set: document downloads redirect to a presigned URL on it (signed for that host, so
    # it must be the same store). Empty: the service streams the bytes itself, and the
    # store can stay private (an in-cluster address is no use to a browser).
    s3_public_endpoint: str = ""
    # Lifetime of the presigned GET URLs that S3 downloads redirect to.
    presigned_url_seconds: int = Field(default=300, ge=1, le=7 * 24 * 3600)
    # The sweeper (`ppid_kit.storage.sweep`) runs every interval (0: only by hand) and
    # releases an object no row names once older than the grace period (an upload whose
    # row is not committed yet is younger than that).
    sweep_interval_seconds: float = Field(default=900, ge=0)
    sweep_grace_seconds: int = Field(default=3600, ge=0)
