"""Calendar days (the working-day calendar) and the kit's tables.

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

# Frozen copy of the enum as it was at this revision (the model may move on).
KINDS = ("public_holiday", "cuti_bersama", "closure", "extra_working_day")


def upgrade() -> None:
    op.create_table(
        "calendar_days",
        sa.Column("id", sa.Uuid(), primary_key=True),
        # Roots live in the auth database: no foreign key across services (ARCHITECTURE.md).
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("is_estimated", sa.Boolean(), nullable=False, server_default=sa.false()),
        timestamp_column("created_at"),
        sa.UniqueConstraint("root_id", "date", "kind", name="uq_calendar_days_root_id_date_kind"),
        sa.CheckConstraint(values_in("kind", KINDS), name="ck_calendar_days_kind"),
    )
    # Keyset order of GET /v1/calendar/holidays: (date, id), alone and within one root.
    op.create_index("ix_calendar_days_date_id", "calendar_days", ["date", "id"])
    op.create_index("ix_calendar_days_root_id_date_id", "calendar_days", ["root_id", "date", "id"])
    create_kit_tables()


def downgrade() -> None:
    drop_kit_tables()
    op.drop_table("calendar_days")
