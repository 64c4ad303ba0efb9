"""The change log of the public DIP (`GET /v1/dip/changes`) and its counter.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.migrations import timestamp_column
from ppid_kit.models import values_in
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("upsert", "tombstone")


def upgrade() -> None:
    op.create_table(
        "dip_changes",
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("entry", JSONB(), nullable=True),
        timestamp_column("committed_at"),
        sa.CheckConstraint(values_in("kind", KINDS), name="ck_dip_changes_kind"),
        sa.CheckConstraint("(kind = 'upsert') = (entry IS NOT NULL)", name="ck_dip_changes_entry"),
    )
    op.create_index("ix_dip_changes_entry_id", "dip_changes", ["entry_id"])
    op.create_index("ix_dip_changes_root_id_seq", "dip_changes", ["root_id", "seq"])
    op.create_table(
        "dip_feed_counter",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False, server_default="0"),
        sa.CheckConstraint("id = 1", name="ck_dip_feed_counter_single"),
    )
    op.execute("INSERT INTO dip_feed_counter (id, last_seq) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("dip_feed_counter")
    op.drop_table("dip_changes")
