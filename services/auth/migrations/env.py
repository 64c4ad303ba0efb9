"""Alembic environment of the auth service: async, URL from `AuthSettings`."""

from __future__ import annotations

from auth_service.schema import TABLES
from auth_service.settings import AuthSettings
from ppid_kit.migrations import run_migrations

run_migrations(AuthSettings().database_url, TABLES)
