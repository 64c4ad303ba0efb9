"""Requesters' email tokens and profiles, and the email outbox.

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

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the enums as they were at this revision (models may move on).
PURPOSES = ("verify", "reset")
MESSAGE_KINDS = ("email",)
MESSAGE_STATUSES = ("pending", "sent", "failed")


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
    )


def _create_email_tokens() -> None:
    op.create_table(
        "email_tokens",
        timestamp_column("created_at"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("expires_at", _tz(), nullable=False),
        sa.Column("used_at", _tz(), nullable=True),
        _user_fk("email_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_email_tokens_token_hash"),
        sa.CheckConstraint(values_in("purpose", PURPOSES), name="ck_email_tokens_purpose"),
    )
    op.create_index(
        "ix_email_tokens_user_id_purpose_created_at",
        "email_tokens",
        ["user_id", "purpose", "created_at"],
    )
    op.create_index("ix_email_tokens_expires_at", "email_tokens", ["expires_at"])


def _create_requester_profiles() -> None:
    op.create_table(
        "requester_profiles",
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        sa.Column("user_id", sa.Uuid(), primary_key=True),
        sa.Column("phone", sa.String(32), nullable=True),
        _user_fk("requester_profiles"),
    )


def _create_outbox_messages() -> None:
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
        sa.CheckConstraint(values_in("kind", MESSAGE_KINDS), name="ck_outbox_messages_kind"),
        sa.CheckConstraint(values_in("status", MESSAGE_STATUSES), name="ck_outbox_messages_status"),
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


def upgrade() -> None:
    _create_email_tokens()
    _create_requester_profiles()
    _create_outbox_messages()


def downgrade() -> None:
    op.drop_table("outbox_messages")
    op.drop_table("requester_profiles")
    op.drop_table("email_tokens")
