"""Written notices, refusal decrees and the fee schedule (owned by the workflow package).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from ppid_kit.models import values_in
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the enums as they were at this revision (the models may move on).
OUTCOMES = (
    "granted_full",
    "granted_partial",
    "refused",
    "not_held_forwarded",
    "not_held_unknown",
    "not_documented",
)
HOLDERS = ("self", "other_body")
DELIVERY = ("pickup", "courier", "post", "fax", "email", "download", "whatsapp")
GROUNDS = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")


def _created_at() -> sa.Column[datetime]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "fee_schedules",
        _created_at(),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("root_id"),
    )
    op.create_table(
        "fee_items",
        _created_at(),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("decree_no", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("unit_price >= 0", name="ck_fee_items_unit_price"),
        sa.ForeignKeyConstraint(["root_id"], ["fee_schedules.root_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "root_id", "code", "effective_from", name="uq_fee_items_root_code_from"
        ),
    )
    op.create_index(op.f("ix_fee_items_root_id"), "fee_items", ["root_id"], unique=False)
    op.create_table(
        "request_notices",
        _created_at(),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("holder", sa.String(32), nullable=True),
        sa.Column("holder_body", sa.String(255), nullable=True),
        sa.Column("material", sa.Text(), nullable=True),
        sa.Column("available_forms", sa.ARRAY(sa.String(16)), nullable=False),
        sa.Column("delivery_method", sa.String(32), nullable=True),
        sa.Column(
            "fee_lines",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("fee_total", sa.Integer(), server_default="0", nullable=False),
        sa.Column("payment_instructions", sa.Text(), nullable=True),
        sa.Column("provide_within_working_days", sa.Integer(), nullable=True),
        sa.Column("promised_delivery_date", sa.Date(), nullable=True),
        sa.Column("redaction_note", sa.Text(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("place", sa.String(255), nullable=False),
        sa.Column("signatory", sa.String(500), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.Uuid(), nullable=True),
        sa.Column("issued_by_role", sa.String(64), nullable=False),
        sa.CheckConstraint(values_in("outcome", OUTCOMES), name="ck_request_notices_outcome"),
        sa.CheckConstraint(
            "holder IS NULL OR " + values_in("holder", HOLDERS), name="ck_request_notices_holder"
        ),
        sa.CheckConstraint(
            "delivery_method IS NULL OR " + values_in("delivery_method", DELIVERY),
            name="ck_request_notices_delivery",
        ),
        sa.CheckConstraint(
            "outcome <> 'granted_partial' OR redaction_note IS NOT NULL",
            name="ck_request_notices_redaction",
        ),
        sa.CheckConstraint(
            "outcome <> 'not_held_forwarded' OR holder_body IS NOT NULL",
            name="ck_request_notices_forwarded",
        ),
        sa.CheckConstraint("fee_total >= 0", name="ck_request_notices_fee_total"),
        sa.ForeignKeyConstraint(["request_id"], ["information_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_table(
        "refusal_decrees",
        _created_at(),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("decree_number", sa.String(128), nullable=False),
        sa.Column("decree_date", sa.Date(), nullable=False),
        sa.Column("ground", sa.String(32), nullable=False),
        sa.Column("ground_number", sa.String(16), nullable=True),
        sa.Column("ground_text", sa.Text(), nullable=False),
        sa.Column("other_law", sa.Text(), nullable=True),
        sa.Column("consequence_test_id", sa.Uuid(), nullable=False),
        sa.Column("dik_number", sa.String(64), nullable=True),
        sa.Column("dik_decree_number", sa.String(255), nullable=True),
        sa.Column("consequences", sa.Text(), nullable=False),
        sa.Column("objection_due", sa.Date(), nullable=False),
        sa.CheckConstraint(values_in("ground", GROUNDS), name="ck_refusal_decrees_ground"),
        sa.ForeignKeyConstraint(["request_id"], ["request_notices.request_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id"),
        sa.UniqueConstraint("decree_number", name="uq_refusal_decrees_number"),
        sa.UniqueConstraint("root_id", "year", "seq", name="uq_refusal_decrees_root_year_seq"),
    )


def downgrade() -> None:
    op.drop_table("refusal_decrees")
    op.drop_table("request_notices")
    op.drop_index(op.f("ix_fee_items_root_id"), table_name="fee_items")
    op.drop_table("fee_items")
    op.drop_table("fee_schedules")
