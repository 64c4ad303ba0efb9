"""The kit's Alembic helpers: the DDL matches the models, drop undoes it, env.py runs."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from ppid_kit.db import create_engine
from ppid_kit.migrations import service_metadata
from ppid_kit.tables import KIT_TABLES
from sqlalchemy import Connection, MetaData, inspect, text

from tests.kit.helpers import migrate_kit_tables

KIT_NAMES = {"idempotency_keys", "audit_log"}


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


ENV_PY = """
import sqlalchemy as sa
from alembic import context
from ppid_kit.migrations import run_migrations

WIDGETS = sa.Table(
    "kit_widgets",
    sa.MetaData(),
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
)
run_migrations(context.config.attributes["database_url"], [WIDGETS])
"""
FIRST_REVISION = """
import sqlalchemy as sa
from alembic import op
from ppid_kit.migrations import create_kit_tables, drop_kit_tables, timestamp_column

revision = "0001"
down_revision = None


def upgrade():
    op.create_table("kit_widgets", sa.Column("id", sa.Integer(), primary_key=True),
                    timestamp_column("made_at"))
    create_kit_tables()


def downgrade():
    drop_kit_tables()
    op.drop_table("kit_widgets")
"""


@pytest.fixture
def alembic_config(tmp_path: Path, fresh_database: Callable[[str], str]) -> Config:
    """A service-like Alembic setup whose env.py is one call to `run_migrations`."""
    (tmp_path / "versions").mkdir()
    (tmp_path / "env.py").write_text(ENV_PY)
    (tmp_path / "versions" / "0001_widgets.py").write_text(FIRST_REVISION)
    config = Config(output_buffer=io.StringIO())
    config.set_main_option("script_location", str(tmp_path))
    config.attributes["database_url"] = fresh_database("kit_env")
    return config


def _public_tables(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_engine(url, pool_size=1)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(_tables)
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_run_migrations_upgrades_checks_and_downgrades(alembic_config: Config) -> None:
    url = alembic_config.attributes["database_url"]
    command.upgrade(alembic_config, "head")
    assert _public_tables(url) == {"kit_widgets", "alembic_version", *KIT_NAMES}
    command.check(alembic_config)  # the service's tables plus the kit's match the database
    command.downgrade(alembic_config, "base")
    assert _public_tables(url) == {"alembic_version"}


def test_run_migrations_offline_prints_the_sql(alembic_config: Config) -> None:
    command.upgrade(alembic_config, "head", sql=True)
    buffer = alembic_config.output_buffer
    assert isinstance(buffer, io.StringIO)
    sql = buffer.getvalue()
    assert "CREATE TABLE kit_widgets" in sql
    assert "made_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL" in sql
    assert "CREATE TABLE audit_log" in sql
    assert _public_tables(alembic_config.attributes["database_url"]) == set()


def test_service_metadata_holds_the_kit_tables_too() -> None:
    own = sa.Table("kit_own", sa.MetaData(), sa.Column("id", sa.Integer(), primary_key=True))
    assert set(service_metadata([own]).tables) == {"kit_own", *KIT_NAMES}
