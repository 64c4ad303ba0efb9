"""Settings of the registry service, read from `REGISTRY_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ppid_kit.settings import ServiceSettings
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict


class RegistrySettings(ServiceSettings):
    """`REGISTRY_DATABASE_URL`, `REGISTRY_CURSOR_SECRET`, … (fields from the kit)."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_")

    # Object storage: the local folder on a single machine, S3 (MinIO) in a cluster.
    storage_backend: Literal["local", "s3"] = "local"
    storage_dir: Path = Path("var/registry-objects")
    s3_endpoint: str = "127.0.0.1:9000"
    s3_access_key: str = ""
    s3_secret_key: SecretStr = SecretStr("")
    s3_bucket: str = "terbuka-registry"
    s3_secure: bool = True
    # Set it: without a region minio asks the server before presigning.
    s3_region: str = "us-east-1"
    max_upload_bytes: int = Field(default=500 * 1024 * 1024, gt=0)
    # Lifetime of the presigned GET URLs that S3 downloads redirect to.
    presigned_url_seconds: int = Field(default=300, ge=1, le=7 * 24 * 3600)
    # The sweeper removes objects no document names once older than the grace period
    # (an upload whose row is not committed yet is younger than that); 0 disables the
    # periodic run in the service (the CLI still works).
    sweep_grace_seconds: int = Field(default=3600, ge=0)
    sweep_interval_seconds: float = Field(default=900, ge=0)
