"""Unit contact details, service hours and description; `unit_versions` (the units' history).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.migrations import timestamp_column
from ppid_kit.models import values_in
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of the enum as it was at this revision.
ACTIONS = ("created", "updated", "moved", "deactivated", "reactivated")

# History is evidence: like the audit log, its rows are never changed or removed.
_APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION unit_versions_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'unit_versions is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""
_TRIGGERS = (
    "CREATE TRIGGER unit_versions_no_update_delete BEFORE UPDATE OR DELETE ON unit_versions "
    "FOR EACH ROW EXECUTE FUNCTION unit_versions_append_only()",
    "CREATE TRIGGER unit_versions_no_truncate BEFORE TRUNCATE ON unit_versions "
    "FOR EACH STATEMENT EXECUTE FUNCTION unit_versions_append_only()",
)


def _add_unit_details() -> None:
    op.add_column("units", sa.Column("description", sa.String(2000), nullable=True))
    op.add_column("units", sa.Column("contact_email", sa.String(254), nullable=True))
    op.add_column("units", sa.Column("contact_phone", sa.String(32), nullable=True))
    op.add_column("units", sa.Column("contact_address", sa.String(500), nullable=True))
    op.add_column(
        "units",
        sa.Column(
            "service_hours",
            postgresql.JSONB(),
            nullable=False,
            server_default=sa.text("'[]'::jsonb"),
        ),
    )


def upgrade() -> None:
    _add_unit_details()
    op.create_table(
        "unit_versions",
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("actor_type", sa.String(32), nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("changes", postgresql.JSONB(), nullable=False),
        sa.Column("snapshot", postgresql.JSONB(), nullable=False),
        timestamp_column("changed_at"),
        sa.PrimaryKeyConstraint("unit_id", "version", name="unit_versions_pkey"),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name="fk_unit_versions_unit_id_units", ondelete="RESTRICT"
        ),
        sa.CheckConstraint("version > 0", name="ck_unit_versions_version_positive"),
        sa.CheckConstraint(values_in("action", ACTIONS), name="ck_unit_versions_action"),
    )
    op.create_index(
        "ix_unit_versions_root_id_changed_at", "unit_versions", ["root_id", "changed_at"]
    )
    op.execute(_APPEND_ONLY_FUNCTION)
    for statement in _TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("unit_versions")  # its indexes and triggers go with it
    op.execute("DROP FUNCTION IF EXISTS unit_versions_append_only()")
    for column in ("service_hours", "contact_address", "contact_phone", "contact_email"):
        op.drop_column("units", column)
    op.drop_column("units", "description")
