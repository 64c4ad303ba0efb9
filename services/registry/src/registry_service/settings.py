"""Settings of the registry service, read from `REGISTRY_*` environment variables."""

from __future__ import annotations

from ppid_kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class RegistrySettings(ServiceSettings):
    """`REGISTRY_DATABASE_URL`, `REGISTRY_CURSOR_SECRET`, … (fields from the kit)."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_")
