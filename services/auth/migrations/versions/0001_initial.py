"""Units (the tree of badan publik) and the kit's tables.

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
KINDS = ("badan_publik", "opd", "kecamatan", "kelurahan", "upt", "rsud", "other")
PPID = ("utama", "pelaksana", "none")
TIME_ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("ppid", sa.String(32), nullable=False, server_default="none"),
        sa.Column("time_zone", sa.String(32), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        sa.UniqueConstraint("code", name="uq_units_code"),
        # A child's root is its parent's root: the pair (parent_id, root_id) must exist.
        sa.UniqueConstraint("id", "root_id", name="uq_units_id_root_id"),
        sa.ForeignKeyConstraint(
            ["parent_id", "root_id"],
            ["units.id", "units.root_id"],
            name="fk_units_parent_id_root_id_units",
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint("(parent_id IS NULL) = (root_id = id)", name="ck_units_root_is_self"),
        sa.CheckConstraint(
            "parent_id IS NOT NULL OR (kind = 'badan_publik' AND time_zone IS NOT NULL)",
            name="ck_units_root_shape",
        ),
        sa.CheckConstraint(values_in("kind", KINDS), name="ck_units_kind"),
        sa.CheckConstraint(values_in("ppid", PPID), name="ck_units_ppid"),
        sa.CheckConstraint(values_in("time_zone", TIME_ZONES), name="ck_units_time_zone"),
    )
    # Exactly one PPID Utama per root (DOMAIN.md 2.2).
    op.create_index(
        "ux_units_root_id_ppid_utama",
        "units",
        ["root_id"],
        unique=True,
        postgresql_where=sa.text("ppid = 'utama'"),
    )
    # Keyset orders of GET /v1/units: (name, id), alone and within one root.
    op.create_index("ix_units_name_id", "units", ["name", "id"])
    op.create_index("ix_units_root_id_name_id", "units", ["root_id", "name", "id"])
    op.create_index("ix_units_parent_id", "units", ["parent_id"])
    create_kit_tables()


def downgrade() -> None:
    drop_kit_tables()
    op.drop_table("units")
