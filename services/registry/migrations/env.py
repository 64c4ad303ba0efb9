"""Alembic environment of the registry service: async, URL from `RegistrySettings`."""

from __future__ import annotations

from ppid_kit.migrations import run_migrations
from registry_service.schema import TABLES
from registry_service.settings import RegistrySettings

run_migrations(RegistrySettings().database_url, TABLES)
