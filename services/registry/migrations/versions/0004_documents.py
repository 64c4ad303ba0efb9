"""Documents of DIP and DIK entries (bytes in the object store).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.migrations import timestamp_column
from ppid_kit.models import values_in

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("original", "redacted")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("entry_id", sa.Uuid(), sa.ForeignKey("dip_entries.id"), nullable=True),
        sa.Column("dik_id", sa.Uuid(), sa.ForeignKey("dik_entries.id"), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False, server_default="original"),
        sa.Column("redacts_id", sa.Uuid(), sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("title", sa.String(255), nullable=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(127), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("object_key", sa.String(255), nullable=False, unique=True),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        timestamp_column("created_at"),
        sa.CheckConstraint(values_in("kind", KINDS), name="ck_documents_kind"),
        sa.CheckConstraint("(entry_id IS NULL) <> (dik_id IS NULL)", name="ck_documents_one_owner"),
        sa.CheckConstraint(
            "(kind = 'redacted') = (redacts_id IS NOT NULL)", name="ck_documents_redacts"
        ),
        sa.CheckConstraint("size >= 0", name="ck_documents_size"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="ck_documents_sha256"),
    )
    op.create_index("ix_documents_entry_id", "documents", ["entry_id"])
    op.create_index("ix_documents_dik_id", "documents", ["dik_id"])


def downgrade() -> None:
    op.drop_table("documents")
