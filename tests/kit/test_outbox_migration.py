"""`create_outbox_table` builds exactly what `ppid_kit.outbox.OutboxMessage` maps.

Alembic's comparison sees columns, types and indexes but not CHECK constraints or an
index's WHERE clause, so the catalog of a table migrated with the kit's DDL is also
compared with one the model creates itself (in a schema of its own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from ppid_kit.db import create_engine
from ppid_kit.migrations import create_outbox_table, drop_outbox_table
from ppid_kit.outbox import OUTBOX_TABLE
from sqlalchemy import Connection, MetaData, inspect, text

MODEL_SCHEMA = "outbox_from_model"

COLUMNS = """
SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
FROM information_schema.columns
WHERE table_schema = :schema AND table_name = 'outbox_messages'
ORDER BY column_name
"""
CONSTRAINTS = """
SELECT c.conname, c.contype, pg_get_constraintdef(c.oid)
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = :schema AND t.relname = 'outbox_messages'
ORDER BY c.conname
"""
INDEXES = """
SELECT indexname, replace(indexdef, :schema || '.', '')
FROM pg_indexes
WHERE schemaname = :schema AND tablename = 'outbox_messages'
ORDER BY indexname
"""


@pytest.fixture(scope="module")
def scratch_url(fresh_database: Callable[[str], str]) -> str:
    return fresh_database("kit_outbox")


def _run_ops(sync_conn: Connection, *, drop: bool) -> None:
    with Operations.context(MigrationContext.configure(sync_conn)):
        if drop:
            drop_outbox_table()
        else:
            create_outbox_table()


def _diff(sync_conn: Connection) -> list[Any]:
    metadata = MetaData()
    OUTBOX_TABLE.to_metadata(metadata)
    context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _create_from_model(sync_conn: Connection) -> None:
    metadata = MetaData()
    OUTBOX_TABLE.to_metadata(metadata, schema=MODEL_SCHEMA)
    metadata.create_all(sync_conn)


def _tables(sync_conn: Connection) -> set[str]:
    return set(inspect(sync_conn).get_table_names())


async def _catalog(conn: Any, schema: str) -> dict[str, list[tuple[Any, ...]]]:
    return {
        name: [tuple(row) for row in await conn.execute(text(query), {"schema": schema})]
        for name, query in (
            ("columns", COLUMNS),
            ("constraints", CONSTRAINTS),
            ("indexes", INDEXES),
        )
    }


async def test_create_matches_the_model_and_drop_removes_it(scratch_url: str) -> None:
    engine = create_engine(scratch_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run_ops, drop=False)
            await conn.execute(text(f"CREATE SCHEMA {MODEL_SCHEMA}"))
            await conn.run_sync(_create_from_model)
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
            migrated = await _catalog(conn, "public")
            modelled = await _catalog(conn, MODEL_SCHEMA)
        assert migrated == modelled
        assert {name for name, _, _ in migrated["constraints"]} == {
            "outbox_messages_pkey",
            "ck_outbox_messages_kind",
            "ck_outbox_messages_status",
            "ck_outbox_messages_blanked",
        }
        [(_, due_index)] = [
            row for row in migrated["indexes"] if row[0] == "ix_outbox_messages_due"
        ]
        assert "WHERE" in str(due_index)
        assert "pending" in str(due_index)

        async with engine.begin() as conn:
            await conn.run_sync(_run_ops, drop=True)
        async with engine.connect() as conn:
            assert "outbox_messages" not in await conn.run_sync(_tables)
    finally:
        await engine.dispose()
