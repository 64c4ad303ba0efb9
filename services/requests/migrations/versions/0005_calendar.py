"""Calendar days an admin removed, so a re-seed from `holidays` keeps them out (calendar).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.migrations import timestamp_column
from ppid_kit.models import values_in

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of the enum as it was at this revision (the model may move on).
KINDS = ("public_holiday", "cuti_bersama", "closure", "extra_working_day")


def upgrade() -> None:
    op.create_table(
        "calendar_day_removals",
        timestamp_column("created_at"),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.CheckConstraint(values_in("kind", KINDS), name="ck_calendar_day_removals_kind"),
        sa.PrimaryKeyConstraint("root_id", "date", "kind"),
    )


def downgrade() -> None:
    op.drop_table("calendar_day_removals")
