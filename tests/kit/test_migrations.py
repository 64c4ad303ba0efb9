"""The kit's DDL helpers: what they create matches the models, and drop undoes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from ppid_kit.db import create_engine
from ppid_kit.tables import KIT_TABLES
from sqlalchemy import Connection, MetaData, inspect, text

from tests.kit.helpers import migrate_kit_tables


@pytest.fixture(scope="module")
def scratch_url(fresh_database: Callable[[str], str]) -> str:
    return fresh_database("kit_migrations")


def _diff(sync_conn: Connection) -> list[Any]:
    metadata = MetaData()
    for table in KIT_TABLES:
        table.to_metadata(metadata)
    context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _tables(sync_conn: Connection) -> set[str]:
    return set(inspect(sync_conn).get_table_names())


async def test_create_matches_models_and_drop_cleans_up(scratch_url: str) -> None:
    await migrate_kit_tables(scratch_url)
    engine = create_engine(scratch_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_tables) >= {"idempotency_keys", "audit_log"}
            assert await conn.run_sync(_diff) == []
            triggers = (
                await conn.execute(
                    text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass")
                )
            ).scalars()
            assert set(triggers) == {"audit_log_no_update_delete", "audit_log_no_truncate"}
        await migrate_kit_tables(scratch_url, drop=True)
        async with engine.connect() as conn:
            assert not await conn.run_sync(_tables) & {"idempotency_keys", "audit_log"}
            functions = await conn.execute(
                text("SELECT 1 FROM pg_proc WHERE proname = 'ppid_audit_log_append_only'")
            )
            assert functions.first() is None
    finally:
        await engine.dispose()
