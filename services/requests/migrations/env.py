"""Alembic environment of the requests service: async, URL from `RequestsSettings`."""

from __future__ import annotations

from ppid_kit.migrations import run_migrations
from requests_service.schema import TABLES
from requests_service.settings import RequestsSettings

run_migrations(RequestsSettings().database_url, TABLES)
