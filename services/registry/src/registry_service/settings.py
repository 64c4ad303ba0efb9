"""Settings of the registry service, read from `REGISTRY_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from ppid_kit.settings import ServiceSettings
from ppid_kit.storage.settings import StorageSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class RegistrySettings(ServiceSettings, StorageSettings):
    """`REGISTRY_DATABASE_URL`, `REGISTRY_S3_ENDPOINT`, … (common and storage fields: kit)."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_")

    # Object storage (the kit's `StorageSettings`), with the registry's own folder and bucket.
    storage_dir: Path = Path("var/registry-objects")
    s3_bucket: str = "terbuka-registry"
    max_upload_bytes: int = Field(default=500 * 1024 * 1024, gt=0)
    # The sweeper (`documents.sweep`) removes objects no document names once older than
    # the grace period, with the kit's `sweep_*_seconds`.
