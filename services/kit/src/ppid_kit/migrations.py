"""Alembic for the services: the `env.py` body, and DDL for their revisions.

A service's `migrations/env.py`:

    run_migrations(AuthSettings().database_url, [Unit.metadata.tables["units"]])

Its first revision:

    def upgrade() -> None:
        create_kit_tables()

    def downgrade() -> None:
        drop_kit_tables()

A service that sends email through `ppid_kit.outbox` creates its table in a revision
with `create_outbox_table()` (and `drop_outbox_table()` in the downgrade).

The columns are spelled out here rather than taken from `tables.py` or the models: a
migration must keep creating what it created on the day it was written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from ppid_kit.db import create_engine
from ppid_kit.models import values_in
from ppid_kit.tables import KIT_TABLES

_APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION ppid_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""
_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION ppid_audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION ppid_audit_log_append_only()",
)


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def create_kit_tables() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", postgresql.JSONB(), nullable=True),
        sa.Column("response_headers", postgresql.JSONB(), nullable=True),
        sa.Column("created_at", _tz(), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name="idempotency_keys_pkey"),
    )
    op.create_index("ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("occurred_at", _tz(), server_default=sa.func.now(), nullable=False),
        sa.Column("actor_id", sa.Text(), nullable=True),
        sa.Column("actor_type", sa.Text(), nullable=True),
        sa.Column("unit_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("object_type", sa.Text(), nullable=False),
        sa.Column("object_id", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column("details", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("id", name="audit_log_pkey"),
    )
    op.create_index("ix_audit_log_object", "audit_log", ["object_type", "object_id"])
    op.create_index("ix_audit_log_unit_time", "audit_log", ["unit_id", "occurred_at"])
    op.create_index("ix_audit_log_occurred_at", "audit_log", ["occurred_at"])
    op.execute(_APPEND_ONLY_FUNCTION)
    for statement in _TRIGGERS:
        op.execute(statement)


def drop_kit_tables() -> None:
    op.drop_table("audit_log")  # drops its indexes and triggers with it
    op.execute("DROP FUNCTION IF EXISTS ppid_audit_log_append_only()")
    op.drop_table("idempotency_keys")


# Frozen copies of `ppid_kit.outbox.models`' enums as `create_outbox_table` creates them.
_OUTBOX_KINDS = ("email",)
_OUTBOX_STATUSES = ("pending", "sent", "failed")


def create_outbox_table() -> None:
    """`outbox_messages` and its poll index, as `ppid_kit.outbox.OutboxMessage` maps them."""
    op.create_table(
        "outbox_messages",
        timestamp_column("created_at"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=True),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=True),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        timestamp_column("next_attempt_at"),
        sa.Column("last_error", sa.String(255), nullable=True),
        sa.Column("sent_at", _tz(), nullable=True),
        sa.CheckConstraint(values_in("kind", _OUTBOX_KINDS), name="ck_outbox_messages_kind"),
        sa.CheckConstraint(values_in("status", _OUTBOX_STATUSES), name="ck_outbox_messages_status"),
        # Only a pending message may hold personal data; a sent or failed one is blanked.
        sa.CheckConstraint(
            "(status = 'pending') = (recipient IS NOT NULL AND body_text IS NOT NULL)",
            name="ck_outbox_messages_blanked",
        ),
    )
    op.create_index(
        "ix_outbox_messages_due",
        "outbox_messages",
        ["next_attempt_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )


def drop_outbox_table() -> None:
    op.drop_table("outbox_messages")  # drops its index with it


def timestamp_column(name: str) -> sa.Column[datetime]:
    """`<name> timestamptz NOT NULL DEFAULT now()`, as `ppid_kit.models.Timestamps` maps it."""
    return sa.Column(name, _tz(), nullable=False, server_default=sa.func.now())


def service_metadata(tables: Iterable[sa.Table]) -> sa.MetaData:
    """The service's tables and the kit's: SQLModel's shared metadata also holds other services'."""
    metadata = sa.MetaData()
    for table in (*tables, *KIT_TABLES):
        table.to_metadata(metadata)
    return metadata


def run_migrations(database_url: str, tables: Iterable[sa.Table]) -> None:
    """The body of a service's `env.py`: async against the database, or `--sql` offline.

    `tables` are the service's own; the kit's tables are added (they live in every database).
    """
    if context.config.config_file_name is not None:
        # Keep loggers the host process already set up (alembic run in-process by a tool).
        fileConfig(context.config.config_file_name, disable_existing_loggers=False)
    metadata = service_metadata(tables)
    if context.is_offline_mode():
        _run_offline(database_url, metadata)
    else:
        asyncio.run(_run_online(database_url, metadata))


def _run_offline(database_url: str, metadata: sa.MetaData) -> None:
    """`alembic upgrade --sql`: print the SQL for a DBA instead of running it."""
    context.configure(
        url=database_url,
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(database_url: str, metadata: sa.MetaData) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_on_connection, metadata)
    finally:
        await engine.dispose()


def _run_on_connection(connection: Connection, metadata: sa.MetaData) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
