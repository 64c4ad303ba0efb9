"""Settings of the requests service, read from `REQUESTS_*` environment variables."""

from __future__ import annotations

from ppid_kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class RequestsSettings(ServiceSettings):
    """`REQUESTS_DATABASE_URL`, `REQUESTS_CURSOR_SECRET`, … (fields from the kit)."""

    model_config = SettingsConfigDict(env_prefix="REQUESTS_")
