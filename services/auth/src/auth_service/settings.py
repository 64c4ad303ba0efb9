"""Settings of the auth service, read from `AUTH_*` environment variables."""

from __future__ import annotations

from ppid_kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class AuthSettings(ServiceSettings):
    """`AUTH_DATABASE_URL`, `AUTH_CURSOR_SECRET`, … (fields from the kit)."""

    model_config = SettingsConfigDict(env_prefix="AUTH_")
