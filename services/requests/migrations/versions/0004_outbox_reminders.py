"""The outbox and deadline reminders (owned by the notifications package).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.migrations import create_outbox_table, drop_outbox_table, timestamp_column
from ppid_kit.models import values_in

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of `notify.models.ReminderKind` as it was at this revision.
REMINDER_KINDS = ("notice", "extended_notice")


def upgrade() -> None:
    create_outbox_table()
    op.create_table(
        "deadline_reminders",
        timestamp_column("created_at"),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("addressed_unit_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(values_in("kind", REMINDER_KINDS), name="ck_deadline_reminders_kind"),
        sa.ForeignKeyConstraint(["request_id"], ["information_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id", "kind", "due_date"),
    )


def downgrade() -> None:
    op.drop_table("deadline_reminders")
    drop_outbox_table()
