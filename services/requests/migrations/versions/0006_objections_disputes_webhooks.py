"""Objections, disputes at the KI, webhooks; the API client a request came through.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 18:31:13.535302
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.models import values_in
from sqlalchemy.dialects import postgresql

# Frozen copies of the enums as they were at this revision (the models may move on).
OBJECTION_STATES = (
    "filed",
    "with_atasan",
    "musyawarah",
    "decided_upheld_requester",
    "decided_upheld_ppid",
    "order_executed",
    "settled",
    "escalated_to_ki",
    "withdrawn",
)
DECISIONS = ("upheld_requester", "upheld_ppid", "settled_by_consultation")
STAGES = ("registered", "mediation", "adjudication", "decided", "court", "cassation", "closed")
OUTCOMES = ("information_opened", "refused", "fee_decided", "settled_by_mediation", "withdrawn")

# The state histories are append-only (DOMAIN.md 10.7, 10.8: every step kept).
_APPEND_ONLY = """
CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only';
END $$
"""
_TRIGGER = (
    "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
)
_HISTORIES = ("objection_events", "dispute_events")

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_feed_cursors",
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
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("cursor", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("source"),
    )
    op.create_table(
        "webhook_subscriptions",
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
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("event_types", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("secret_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("secret_key_id", sa.String(length=64), nullable=False),
        sa.Column("previous_secret_ciphertext", sa.LargeBinary(), nullable=True),
        sa.Column("previous_secret_key_id", sa.String(length=64), nullable=True),
        sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_reason", sa.String(length=255), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("cardinality(event_types) > 0", name="ck_webhook_subscriptions_events"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_webhook_subscriptions_client", "webhook_subscriptions", ["client_id"], unique=False
    )
    op.create_index(
        "ix_webhook_subscriptions_root", "webhook_subscriptions", ["root_id"], unique=False
    )
    op.create_table(
        "objections",
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
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("objection_number", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("requester_account_id", sa.Uuid(), nullable=True),
        sa.Column("entered_by", sa.Uuid(), nullable=True),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("by_agent", sa.Boolean(), nullable=False),
        sa.Column("reasons", postgresql.ARRAY(sa.String(length=1)), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("case_position", sa.Text(), nullable=False),
        sa.Column("reason_discovered_on", sa.Date(), nullable=False),
        sa.Column("filing_due", sa.Date(), nullable=False),
        sa.Column("filed_late", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("receipt_date", sa.Date(), nullable=False),
        sa.Column("response_due", sa.Date(), nullable=False),
        sa.Column("calendar_version", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("forwarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consultation_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.String(32), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("response_number", sa.String(length=128), nullable=True),
        sa.Column("response_date", sa.Date(), nullable=True),
        sa.Column("objection_summary", sa.Text(), nullable=True),
        sa.Column("decision_reasons", sa.Text(), nullable=True),
        sa.Column("order_text", sa.Text(), nullable=True),
        sa.Column("order_due", sa.Date(), nullable=True),
        sa.Column("atasan_name", sa.String(length=255), nullable=True),
        sa.Column("atasan_position", sa.String(length=255), nullable=True),
        sa.Column("dispute_due", sa.Date(), nullable=True),
        sa.Column("order_executed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_execution_note", sa.Text(), nullable=True),
        sa.Column("requester_reaction", sa.String(32), nullable=True),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tracking_secret_hash", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "cardinality(reasons) > 0 AND reasons <@ ARRAY['a','b','c','d','e','f','g']::varchar[]",
            name="ck_objections_reasons",
        ),
        sa.CheckConstraint(
            "channel IN ('online', 'walk_in', 'phone', 'letter', 'email', 'fax', 'other')",
            name="ck_objections_channel",
        ),
        sa.CheckConstraint(
            "decision IS DISTINCT FROM 'upheld_ppid' OR decision_reasons IS NOT NULL",
            name="ck_objections_upheld_ppid_reasons",
        ),
        sa.CheckConstraint(
            "decision IS DISTINCT FROM 'upheld_requester' "
            "OR (order_text IS NOT NULL AND order_due IS NOT NULL)",
            name="ck_objections_order",
        ),
        sa.CheckConstraint(
            f"decision IS NULL OR {values_in('decision', DECISIONS)}",
            name="ck_objections_decision",
        ),
        sa.CheckConstraint(
            "request_id IS NOT NULL OR reasons = ARRAY['b']::varchar[]",
            name="ck_objections_request",
        ),
        sa.CheckConstraint(
            "requester_reaction IS NULL OR requester_reaction IN ('satisfied', 'not_satisfied')",
            name="ck_objections_reaction",
        ),
        sa.CheckConstraint(
            values_in("state", OBJECTION_STATES),
            name="ck_objections_state",
        ),
        sa.ForeignKeyConstraint(["request_id"], ["information_requests.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("objection_number", name="uq_objections_number"),
        sa.UniqueConstraint("response_number", name="uq_objections_response_number"),
        sa.UniqueConstraint("root_id", "year", "seq", name="uq_objections_root_year_seq"),
    )
    op.create_index("ix_objections_request", "objections", ["request_id"], unique=False)
    op.create_index(
        "ix_objections_requester",
        "objections",
        ["requester_account_id", "received_at"],
        unique=False,
    )
    op.create_index(
        "ix_objections_root_received", "objections", ["root_id", "received_at", "id"], unique=False
    )
    op.create_index("ix_objections_state", "objections", ["state"], unique=False)
    op.create_index(
        "ix_objections_unit_received", "objections", ["unit_id", "received_at", "id"], unique=False
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'delivered', 'dead')", name="ck_webhook_deliveries_state"
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"], ["webhook_subscriptions.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_webhook_deliveries_due",
        "webhook_deliveries",
        ["state", "next_attempt_at"],
        unique=False,
    )
    op.create_index(
        "ix_webhook_deliveries_subscription",
        "webhook_deliveries",
        ["subscription_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "disputes",
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
        sa.Column("objection_id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("ki_level", sa.String(32), nullable=False),
        sa.Column("ki_registration_no", sa.String(length=128), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("filing_due", sa.Date(), nullable=True),
        sa.Column("filed_late", sa.Boolean(), nullable=False),
        sa.Column("ki_start_due", sa.Date(), nullable=True),
        sa.Column("ki_finish_due", sa.Date(), nullable=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("court_stage", sa.String(length=64), nullable=True),
        sa.Column("court_case_no", sa.String(length=128), nullable=True),
        sa.Column("compliance_due", sa.Date(), nullable=True),
        sa.Column("complied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dip_entry_id", sa.Uuid(), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("calendar_version", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "ki_level IN ('pusat', 'provinsi', 'kabupaten_kota')", name="ck_disputes_ki_level"
        ),
        sa.CheckConstraint(
            f"outcome IS NULL OR {values_in('outcome', OUTCOMES)}",
            name="ck_disputes_outcome",
        ),
        sa.CheckConstraint(
            values_in("stage", STAGES),
            name="ck_disputes_stage",
        ),
        sa.ForeignKeyConstraint(["objection_id"], ["objections.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("objection_id", name="uq_disputes_objection"),
    )
    op.create_index(
        "ix_disputes_root_filed", "disputes", ["root_id", "filed_on", "id"], unique=False
    )
    op.create_index("ix_disputes_unit", "disputes", ["unit_id"], unique=False)
    op.create_table(
        "objection_events",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("objection_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("actor_type", sa.String(32), nullable=False),
        sa.Column("actor_role", sa.String(length=64), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "details",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "actor_type IN ('requester', 'anonymous', 'official', 'system')",
            name="ck_objection_events_actor",
        ),
        sa.ForeignKeyConstraint(["objection_id"], ["objections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "objection_id", "version", name="uq_objection_events_objection_version"
        ),
    )
    op.create_table(
        "objection_files",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("objection_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('power_of_attorney', 'supporting')", name="ck_objection_files_kind"
        ),
        sa.ForeignKeyConstraint(["objection_id"], ["objections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("storage_key", name="uq_objection_files_storage_key"),
    )
    op.create_index(
        op.f("ix_objection_files_objection_id"), "objection_files", ["objection_id"], unique=False
    )
    op.create_table(
        "objector_identities",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("objection_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("occupation", sa.String(length=128), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("agent_name", sa.String(length=255), nullable=True),
        sa.Column("agent_address", sa.Text(), nullable=True),
        sa.Column("agent_occupation", sa.String(length=128), nullable=True),
        sa.Column("agent_phone", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["objection_id"], ["objections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("objection_id"),
    )
    op.create_table(
        "webhook_attempts",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=255), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["delivery_id"], ["webhook_deliveries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_webhook_attempts_delivery_id"), "webhook_attempts", ["delivery_id"], unique=False
    )
    op.create_table(
        "dispute_events",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dispute_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=True),
        sa.Column("actor_type", sa.String(32), nullable=False),
        sa.Column("actor_role", sa.String(length=64), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "details",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "actor_type IN ('requester', 'anonymous', 'official', 'system')",
            name="ck_dispute_events_actor",
        ),
        sa.ForeignKeyConstraint(["dispute_id"], ["disputes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dispute_id", "version", name="uq_dispute_events_dispute_version"),
    )
    for table in _HISTORIES:
        op.execute(_APPEND_ONLY.format(table=table))
        op.execute(_TRIGGER.format(table=table))
    op.add_column(
        "information_requests", sa.Column("client_id", sa.String(length=64), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("information_requests", "client_id")
    for table in _HISTORIES:
        op.execute(f"DROP TRIGGER {table}_no_update ON {table}")
        op.execute(f"DROP FUNCTION {table}_append_only()")
    op.drop_table("dispute_events")
    op.drop_index(op.f("ix_webhook_attempts_delivery_id"), table_name="webhook_attempts")
    op.drop_table("webhook_attempts")
    op.drop_table("objector_identities")
    op.drop_index(op.f("ix_objection_files_objection_id"), table_name="objection_files")
    op.drop_table("objection_files")
    op.drop_table("objection_events")
    op.drop_index("ix_disputes_unit", table_name="disputes")
    op.drop_index("ix_disputes_root_filed", table_name="disputes")
    op.drop_table("disputes")
    op.drop_index("ix_webhook_deliveries_subscription", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_due", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_objections_unit_received", table_name="objections")
    op.drop_index("ix_objections_state", table_name="objections")
    op.drop_index("ix_objections_root_received", table_name="objections")
    op.drop_index("ix_objections_requester", table_name="objections")
    op.drop_index("ix_objections_request", table_name="objections")
    op.drop_table("objections")
    op.drop_index("ix_webhook_subscriptions_root", table_name="webhook_subscriptions")
    op.drop_index("ix_webhook_subscriptions_client", table_name="webhook_subscriptions")
    op.drop_table("webhook_subscriptions")
    op.drop_table("webhook_feed_cursors")
