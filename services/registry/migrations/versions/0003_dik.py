"""Exempted information (DIK) with its consequence test.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.migrations import timestamp_column
from ppid_kit.models import values_in

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("berkala", "serta_merta", "setiap_saat")
GROUNDS = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
TRIGGERS = ("proactive", "on_request", "ki_order")
CONCLUSIONS = ("exempt", "open", "partially_open")
STATUSES = ("active", "opened", "withdrawn")


def upgrade() -> None:
    op.create_table(
        "dik_entries",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("responsible_official", sa.String(255), nullable=True),
        sa.Column("information_date", sa.Date(), nullable=True),
        sa.Column("information_place", sa.String(255), nullable=True),
        sa.Column(
            "available_formats", sa.ARRAY(sa.String(16)), nullable=False, server_default="{}"
        ),
        sa.Column("retention_period", sa.String(255), nullable=True),
        sa.Column("holder_official", sa.String(255), nullable=True),
        sa.Column("subcategory", sa.String(120), nullable=True),
        sa.Column("media", sa.ARRAY(sa.String(16)), nullable=False, server_default="{}"),
        sa.Column("tags", sa.ARRAY(sa.String(64)), nullable=False, server_default="{}"),
        sa.Column("decree_reference", sa.String(255), nullable=True),
        sa.Column(
            "links",
            sa.dialects.postgresql.JSONB(),
            nullable=False,
            server_default=sa.text("'[]'::jsonb"),
        ),
        sa.Column("status", sa.String(32), nullable=False, server_default="active"),
        sa.Column("public_summary", sa.Text(), nullable=False),
        sa.Column("trigger", sa.String(32), nullable=False, server_default="proactive"),
        sa.Column("trigger_reference", sa.String(255), nullable=True),
        sa.Column("document_reference", sa.String(500), nullable=True),
        sa.Column("withheld_information", sa.Text(), nullable=False),
        sa.Column("legal_basis_letter", sa.String(32), nullable=False),
        sa.Column("legal_basis_number", sa.String(16), nullable=True),
        sa.Column("other_laws", sa.Text(), nullable=True),
        sa.Column("harm_analysis", sa.Text(), nullable=False),
        sa.Column("public_interest_analysis", sa.Text(), nullable=False),
        sa.Column("balancing", sa.Text(), nullable=False),
        sa.Column("conclusion", sa.String(32), nullable=False),
        sa.Column("exemption_until", sa.Date(), nullable=True),
        sa.Column("exemption_condition", sa.Text(), nullable=True),
        sa.Column("decree_number", sa.String(255), nullable=True),
        sa.Column("decree_date", sa.Date(), nullable=True),
        sa.Column("decree_place", sa.String(255), nullable=True),
        sa.Column("signed_by_role", sa.String(64), nullable=True),
        sa.Column("signed_by_name", sa.String(255), nullable=True),
        sa.Column("participants", sa.ARRAY(sa.String(255)), nullable=False, server_default="{}"),
        sa.Column(
            "dip_entry_id", sa.Uuid(), sa.ForeignKey("dip_entries.id"), nullable=True, index=True
        ),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        sa.UniqueConstraint("root_id", "number", name="uq_dik_entries_root_id_number"),
        sa.CheckConstraint(values_in("category", CATEGORIES), name="ck_dik_entries_category"),
        sa.CheckConstraint(
            values_in("legal_basis_letter", GROUNDS), name="ck_dik_entries_legal_basis_letter"
        ),
        sa.CheckConstraint(values_in("trigger", TRIGGERS), name="ck_dik_entries_trigger"),
        sa.CheckConstraint(values_in("conclusion", CONCLUSIONS), name="ck_dik_entries_conclusion"),
        sa.CheckConstraint(values_in("status", STATUSES), name="ck_dik_entries_status"),
        # UU 14/2008 Pasal 20: grounds a-f are not permanent.
        sa.CheckConstraint(
            "conclusion = 'open' OR legal_basis_letter IN ('g', 'h') "
            "OR exemption_until IS NOT NULL OR exemption_condition IS NOT NULL",
            name="ck_dik_entries_exemption_period",
        ),
    )


def downgrade() -> None:
    op.drop_table("dik_entries")
