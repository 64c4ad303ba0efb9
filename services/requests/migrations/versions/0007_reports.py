"""The PPID's narrative of the annual service report per unit and year (reports).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.migrations import timestamp_column

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of the narrative parts as they were at this revision (SLIP Pasal 56 1, 2, 5, 6).
PARTS = (
    "policy",
    "operation",
    "obstacles_internal",
    "obstacles_external",
    "recommendations",
    "follow_up_plan",
)


def upgrade() -> None:
    op.create_table(
        "annual_report_narratives",
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        *(sa.Column(part, sa.Text(), nullable=True) for part in PARTS),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("year BETWEEN 2008 AND 2100", name="ck_annual_report_narratives_year"),
        sa.PrimaryKeyConstraint("unit_id", "year"),
    )
    op.create_index(
        "ix_annual_report_narratives_root_year", "annual_report_narratives", ["root_id", "year"]
    )


def downgrade() -> None:
    op.drop_index("ix_annual_report_narratives_root_year", table_name="annual_report_narratives")
    op.drop_table("annual_report_narratives")
