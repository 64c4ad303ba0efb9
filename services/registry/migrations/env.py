"""Alembic environment of the registry service: async, URL from `RegistrySettings`."""

from __future__ import annotations

from ppid_kit.migrations import run_migrations
from registry_service.models import DipEntry
from registry_service.settings import RegistrySettings

run_migrations(RegistrySettings().database_url, [DipEntry.metadata.tables["dip_entries"]])
