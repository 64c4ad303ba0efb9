"""Signing keys, refresh tokens, API clients.

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
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the enums as they were at this revision (models may move on).
TIERS = ("standard", "partner", "internal")


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _create_signing_keys() -> None:
    op.create_table(
        "signing_keys",
        timestamp_column("created_at"),
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("alg", sa.String(16), nullable=False),
        sa.Column("private_key_enc", sa.Text(), nullable=False),
        sa.Column("public_jwk", postgresql.JSONB(), nullable=False),
        timestamp_column("activated_at"),
        sa.Column("retired_at", _tz(), nullable=True),
        sa.CheckConstraint("alg IN ('ES256', 'RS256')", name="ck_signing_keys_alg"),
    )
    # At most one key signs at a time: a racing second rotation fails instead of forking.
    op.create_index(
        "ux_signing_keys_active",
        "signing_keys",
        [sa.text("(retired_at IS NULL)")],
        unique=True,
        postgresql_where=sa.text("retired_at IS NULL"),
    )


def _create_refresh_tokens() -> None:
    op.create_table(
        "refresh_tokens",
        timestamp_column("created_at"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=True),
        sa.Column("expires_at", _tz(), nullable=False),
        sa.Column("used_at", _tz(), nullable=True),
        sa.Column("revoked_at", _tz(), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_refresh_tokens_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_refresh_tokens_family_id", "refresh_tokens", ["family_id"])
    # Revoke-all-sessions looks up a user's live tokens only.
    op.create_index(
        "ix_refresh_tokens_user_id_live",
        "refresh_tokens",
        ["user_id"],
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    op.create_index("ix_refresh_tokens_expires_at", "refresh_tokens", ["expires_at"])


def _create_api_clients() -> None:
    op.create_table(
        "api_clients",
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("root_id", sa.Uuid(), nullable=False),
        sa.Column("scopes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("cors_origins", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("rate_limit_tier", sa.String(32), nullable=False),
        sa.Column("is_service_account", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        timestamp_column("secret_rotated_at"),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["root_id"], ["units.id"], name="fk_api_clients_root_id_units", ondelete="RESTRICT"
        ),
        sa.CheckConstraint(values_in("rate_limit_tier", TIERS), name="ck_api_clients_tier"),
    )
    op.create_index(
        "ix_api_clients_root_id_name_client_id", "api_clients", ["root_id", "name", "client_id"]
    )


def upgrade() -> None:
    _create_signing_keys()
    _create_refresh_tokens()
    _create_api_clients()


def downgrade() -> None:
    op.drop_table("api_clients")
    op.drop_table("refresh_tokens")
    op.drop_table("signing_keys")
