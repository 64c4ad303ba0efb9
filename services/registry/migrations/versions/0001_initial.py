"""DIP entries and the kit's tables.

Revision ID: 0001
Revises:
Create Date: 2025-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.migrations import create_kit_tables, drop_kit_tables, timestamp_column
from ppid_kit.models import values_in

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the enums as they were at this revision (models may move on).
CATEGORIES = ("berkala", "serta_merta", "setiap_saat")
STATUSES = ("draft", "proposed", "verified", "published", "superseded", "archived", "withdrawn")
PUBLISHED = sa.text("status = 'published'")


def upgrade() -> None:
    op.create_table(
        "dip_entries",
        sa.Column("id", sa.Uuid(), primary_key=True),
        # Units live in the auth database: no foreign key across services (ARCHITECTURE.md).
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("responsible_official", sa.String(255), nullable=True),
        sa.Column("information_date", sa.Date(), nullable=True),
        sa.Column("information_place", sa.String(255), nullable=True),
        sa.Column(
            "available_formats",
            sa.ARRAY(sa.String(16)),
            nullable=False,
            server_default=sa.text("'{}'::varchar[]"),
        ),
        sa.Column("retention_period", sa.String(255), nullable=True),
        sa.Column("status", sa.String(32), nullable=False, server_default="draft"),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        sa.UniqueConstraint("root_id", "number", name="uq_dip_entries_root_id_number"),
        sa.CheckConstraint(values_in("category", CATEGORIES), name="ck_dip_entries_category"),
        sa.CheckConstraint(values_in("status", STATUSES), name="ck_dip_entries_status"),
        sa.CheckConstraint("year BETWEEN 1900 AND 2999", name="ck_dip_entries_year"),
        sa.CheckConstraint(
            "available_formats <@ ARRAY['softcopy', 'hardcopy']::varchar[]",
            name="ck_dip_entries_available_formats",
        ),
        sa.CheckConstraint(
            "status <> 'published' OR published_at IS NOT NULL",
            name="ck_dip_entries_published_at",
        ),
    )
    # Keyset order of GET /v1/dip/entries, (updated_at DESC, id DESC), read backwards.
    op.create_index(
        "ix_dip_entries_published_updated_at_id",
        "dip_entries",
        ["updated_at", "id"],
        postgresql_where=PUBLISHED,
    )
    op.create_index(
        "ix_dip_entries_published_root_id_updated_at_id",
        "dip_entries",
        ["root_id", "updated_at", "id"],
        postgresql_where=PUBLISHED,
    )
    create_kit_tables()


def downgrade() -> None:
    drop_kit_tables()
    op.drop_table("dip_entries")
