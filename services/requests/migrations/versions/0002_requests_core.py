"""Requests: the request, its requester's identity, history, files, numbers; calendar policies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 15:16:18.761407
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.models import values_in
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the enums as they were at this revision (the models may move on).
STATES = (
    "received",
    "incomplete",
    "verified",
    "in_process",
    "forwarded_internal",
    "extended",
    "notice_sent",
    "awaiting_payment",
    "delivered",
    "closed",
    "withdrawn",
    "rejected_incomplete",
)
OUTCOMES = (
    "granted_full",
    "granted_partial",
    "refused",
    "not_held_forwarded",
    "not_held_unknown",
    "not_documented",
)
DELIVERY = ("pickup", "courier", "post", "fax", "email", "download", "whatsapp")
CHANNELS = ("online", "walk_in", "phone", "letter", "email", "fax", "other")


# The state history is append-only (ARCHITECTURE.md: every state change kept).
_APPEND_ONLY = """
CREATE FUNCTION request_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'request_events is append-only';
END $$
"""
_TRIGGER = (
    "CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events "
    "FOR EACH ROW EXECUTE FUNCTION request_events_append_only()"
)


def upgrade() -> None:
    op.create_table(
        "calendar_policies",
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("weekend_days", sa.ARRAY(sa.SmallInteger()), nullable=False),
        sa.Column("count_cuti_bersama_as_holiday", sa.Boolean(), nullable=False),
        sa.Column("service_start", sa.Time(), nullable=False),
        sa.Column("service_end", sa.Time(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("root_id"),
    )
    op.create_table(
        "information_requests",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("target_unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("registration_number", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("channel_note", sa.String(255), nullable=True),
        sa.Column("requester_account_id", sa.Uuid(), nullable=True),
        sa.Column("entered_by", sa.Uuid(), nullable=True),
        sa.Column("requester_category", sa.String(32), nullable=False),
        sa.Column("information_requested", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("access_method", sa.String(32), nullable=False),
        sa.Column("copy_format", sa.String(32), nullable=True),
        sa.Column("delivery_method", sa.String(32), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("notice_outcome", sa.String(32), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("receipt_date", sa.Date(), nullable=False),
        sa.Column("notice_due", sa.Date(), nullable=False),
        sa.Column("extended_due", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("promised_delivery_date", sa.Date(), nullable=True),
        sa.Column("calendar_version", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notice_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_via", sa.String(32), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fee_total", sa.Integer(), server_default="0", nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_method", sa.String(64), nullable=True),
        sa.Column("payment_receipt_no", sa.String(128), nullable=True),
        sa.Column("tracking_secret_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "access_method IN ('view_read_listen_note', 'obtain_copy')",
            name="ck_information_requests_access",
        ),
        sa.CheckConstraint(
            values_in("channel", CHANNELS),
            name="ck_information_requests_channel",
        ),
        sa.CheckConstraint(
            "copy_format IS NULL OR copy_format IN ('softcopy', 'hardcopy')",
            name="ck_information_requests_copy_format",
        ),
        sa.CheckConstraint(
            values_in("delivery_method", DELIVERY),
            name="ck_information_requests_delivery",
        ),
        sa.CheckConstraint(
            "notice_outcome IS NULL OR " + values_in("notice_outcome", OUTCOMES),
            name="ck_information_requests_outcome",
        ),
        sa.CheckConstraint(
            "requester_category IN ('perorangan', 'badan_hukum', 'kelompok_orang')",
            name="ck_information_requests_category",
        ),
        sa.CheckConstraint(
            values_in("state", STATES),
            name="ck_information_requests_state",
        ),
        sa.CheckConstraint(
            "(extended_due IS NULL) = (extension_reason IS NULL)",
            name="ck_information_requests_extension",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("registration_number", name="uq_information_requests_number"),
        sa.UniqueConstraint("root_id", "year", "seq", name="uq_information_requests_root_year_seq"),
    )
    op.create_index(
        "ix_information_requests_requester",
        "information_requests",
        ["requester_account_id", "received_at"],
        unique=False,
    )
    op.create_index(
        "ix_information_requests_root_received",
        "information_requests",
        ["root_id", "received_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_information_requests_state", "information_requests", ["state"], unique=False
    )
    op.create_index(
        "ix_information_requests_unit_received",
        "information_requests",
        ["unit_id", "received_at", "id"],
        unique=False,
    )
    op.create_table(
        "number_counters",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(8), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("root_id", "year", "series"),
    )
    op.create_table(
        "request_policies",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("number_format", sa.String(128), nullable=False),
        sa.Column("delivery_sla_equals_notice", sa.Boolean(), nullable=False),
        sa.Column("require_identity_scan", sa.Boolean(), nullable=False),
        sa.Column("scan_retention_days", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("root_id"),
    )
    op.create_table(
        "request_events",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("from_state", sa.String(32), nullable=True),
        sa.Column("to_state", sa.String(32), nullable=False),
        sa.Column("actor_type", sa.String(32), nullable=False),
        sa.Column("actor_role", sa.String(64), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "details",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "actor_type IN ('requester', 'anonymous', 'official', 'system')",
            name="ck_request_events_actor",
        ),
        sa.ForeignKeyConstraint(["request_id"], ["information_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "version", name="uq_request_events_request_version"),
    )
    op.create_table(
        "request_files",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_key", sa.String(255), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('ktp_scan', 'deed_scan', 'power_of_attorney', 'supporting', 'delivered')",
            name="ck_request_files_kind",
        ),
        sa.ForeignKeyConstraint(["request_id"], ["information_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("storage_key", name="uq_request_files_storage_key"),
    )
    op.create_index(
        op.f("ix_request_files_request_id"), "request_files", ["request_id"], unique=False
    )
    op.create_table(
        "requester_identities",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("nik_ciphertext", sa.LargeBinary(), nullable=True),
        sa.Column("nik_key_id", sa.String(64), nullable=True),
        sa.Column("nik_hash", sa.String(64), nullable=True),
        sa.Column("legal_entity_decree_no", sa.String(128), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("occupation", sa.String(128), nullable=True),
        sa.Column("agent_name", sa.String(255), nullable=True),
        sa.Column("identity_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["information_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_index(
        op.f("ix_requester_identities_nik_hash"), "requester_identities", ["nik_hash"], unique=False
    )

    op.execute(_APPEND_ONLY)
    op.execute(_TRIGGER)


def downgrade() -> None:
    op.drop_index(op.f("ix_requester_identities_nik_hash"), table_name="requester_identities")
    op.drop_table("requester_identities")
    op.drop_index(op.f("ix_request_files_request_id"), table_name="request_files")
    op.drop_table("request_files")
    op.drop_table("request_events")
    op.drop_table("request_policies")
    op.drop_table("number_counters")
    op.drop_index("ix_information_requests_unit_received", table_name="information_requests")
    op.drop_index("ix_information_requests_state", table_name="information_requests")
    op.drop_index("ix_information_requests_root_received", table_name="information_requests")
    op.drop_index("ix_information_requests_requester", table_name="information_requests")
    op.drop_table("information_requests")
    op.drop_table("calendar_policies")
    op.execute("DROP FUNCTION request_events_append_only()")
