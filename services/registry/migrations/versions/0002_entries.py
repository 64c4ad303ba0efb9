"""DIP entries in full: the remaining columns, full-text search, versions, policies, decrees.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ppid_kit.migrations import timestamp_column
from ppid_kit.models import values_in
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the enums as they were at this revision.
STATUSES = ("draft", "proposed", "verified", "published", "superseded", "archived", "withdrawn")
ACTIONS = (
    "create",
    "update",
    "propose",
    "return",
    "verify",
    "publish",
    "withdraw",
    "archive",
    "supersede",
)
MODES = ("direct", "verify")

# array_to_string is only STABLE; a generated column needs an IMMUTABLE expression.
_TAGS_TEXT = """
CREATE FUNCTION dip_tags_text(tags varchar[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN array_to_string(tags, ' ')
"""
# Weighted: number and title (A) rank above the summary (B), tags and sub-category (C).
_SEARCH = (
    "setweight(to_tsvector('indonesian'::regconfig, number || ' ' || title), 'A') || "
    "setweight(to_tsvector('indonesian'::regconfig, summary), 'B') || "
    "setweight(to_tsvector('indonesian'::regconfig, "
    "dip_tags_text(tags) || ' ' || coalesce(subcategory, '')), 'C')"
)

_APPEND_ONLY = """
CREATE FUNCTION dip_entry_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dip_entry_versions is append-only';
END $$
"""


def upgrade() -> None:
    for column in (
        sa.Column("holder_official", sa.String(255), nullable=True),
        sa.Column("subcategory", sa.String(120), nullable=True),
        sa.Column("media", sa.ARRAY(sa.String(16)), nullable=False, server_default="{}"),
        sa.Column("tags", sa.ARRAY(sa.String(64)), nullable=False, server_default="{}"),
        sa.Column("decree_reference", sa.String(255), nullable=True),
        sa.Column("links", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("superseded_by", sa.Uuid(), sa.ForeignKey("dip_entries.id"), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
    ):
        op.add_column("dip_entries", column)
    op.create_check_constraint(
        "ck_dip_entries_media",
        "dip_entries",
        "media <@ ARRAY['print', 'electronic', 'website']::varchar[]",
    )
    op.execute(_TAGS_TEXT)
    op.execute(
        f"ALTER TABLE dip_entries ADD COLUMN search tsvector GENERATED ALWAYS AS ({_SEARCH}) STORED"
    )
    op.create_index("ix_dip_entries_search", "dip_entries", ["search"], postgresql_using="gin")
    op.create_index("ix_dip_entries_tags", "dip_entries", ["tags"], postgresql_using="gin")
    op.create_index("ix_dip_entries_unit_id", "dip_entries", ["unit_id"])

    op.create_table(
        "dip_entry_versions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("entry_id", sa.Uuid(), sa.ForeignKey("dip_entries.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_role", sa.String(32), nullable=True),
        sa.Column("snapshot", JSONB(), nullable=False),
        timestamp_column("created_at"),
        sa.UniqueConstraint("entry_id", "version", name="uq_dip_entry_versions_entry_id_version"),
        sa.CheckConstraint(values_in("action", ACTIONS), name="ck_dip_entry_versions_action"),
        sa.CheckConstraint(values_in("status", STATUSES), name="ck_dip_entry_versions_status"),
    )
    op.execute(_APPEND_ONLY)
    op.execute(
        "CREATE TRIGGER dip_entry_versions_no_update_delete BEFORE UPDATE OR DELETE "
        "ON dip_entry_versions FOR EACH ROW EXECUTE FUNCTION dip_entry_versions_append_only()"
    )

    op.create_table(
        "dip_policies",
        sa.Column("root_id", sa.Uuid(), primary_key=True),
        sa.Column("publish_mode", sa.String(32), nullable=False, server_default="verify"),
        sa.Column("dik_public", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("berkala_stale_days", sa.Integer(), nullable=False, server_default="30"),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        sa.CheckConstraint(values_in("publish_mode", MODES), name="ck_dip_policies_mode"),
    )
    op.create_table(
        "dip_decrees",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(255), nullable=False),
        sa.Column("decree_date", sa.Date(), nullable=False),
        sa.Column("signed_by", sa.String(255), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        sa.UniqueConstraint("root_id", "year", name="uq_dip_decrees_root_id_year"),
        sa.CheckConstraint("year BETWEEN 1900 AND 2999", name="ck_dip_decrees_year"),
    )


def downgrade() -> None:
    op.drop_table("dip_decrees")
    op.drop_table("dip_policies")
    op.drop_table("dip_entry_versions")
    op.execute("DROP FUNCTION dip_entry_versions_append_only()")
    op.drop_index("ix_dip_entries_unit_id", "dip_entries")
    op.drop_index("ix_dip_entries_tags", "dip_entries")
    op.drop_index("ix_dip_entries_search", "dip_entries")
    op.drop_column("dip_entries", "search")
    op.execute("DROP FUNCTION dip_tags_text(varchar[])")
    op.drop_constraint("ck_dip_entries_media", "dip_entries")
    for name in (
        "created_by",
        "superseded_by",
        "version",
        "links",
        "decree_reference",
        "tags",
        "media",
        "subcategory",
        "holder_official",
    ):
        op.drop_column("dip_entries", name)
