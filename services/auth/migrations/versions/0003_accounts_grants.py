"""Accounts (officials, requesters), login failures, MFA recovery codes, grants.

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

# Frozen copies of the enums as they were at this revision (models may move on).
USER_KINDS = ("official", "requester")
FAILURE_SCOPES = ("account", "address")
ROLES = (
    "admin",
    "ppid_utama",
    "ppid_pelaksana",
    "petugas_layanan",
    "atasan_ppid",
    "tim_pertimbangan",
    "auditor",
)


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _create_users() -> None:
    op.create_table(
        "users",
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("email_verified_at", _tz(), nullable=True),
        sa.Column("totp_secret_enc", sa.String(512), nullable=True),
        sa.Column("totp_confirmed_at", _tz(), nullable=True),
        sa.Column("totp_last_step", sa.BigInteger(), nullable=True),
        sa.Column("deleted_at", _tz(), nullable=True),
        sa.UniqueConstraint("email", name="uq_users_email"),
        sa.CheckConstraint("email = lower(email)", name="ck_users_email_lower"),
        sa.CheckConstraint(values_in("kind", USER_KINDS), name="ck_users_kind"),
    )
    op.create_index("ix_users_kind_name_id", "users", ["kind", "name", "id"])


def _create_login_failures() -> None:
    op.create_table(
        "login_failures",
        sa.Column("scope", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("first_failure_at", _tz(), nullable=False),
        sa.Column("last_failure_at", _tz(), nullable=False),
        sa.Column("locked_until", _tz(), nullable=True),
        sa.CheckConstraint(values_in("scope", FAILURE_SCOPES), name="ck_login_failures_scope"),
    )
    # Purging rows nobody has failed on for a while.
    op.create_index("ix_login_failures_last_failure_at", "login_failures", ["last_failure_at"])


def _create_recovery_codes() -> None:
    op.create_table(
        "mfa_recovery_codes",
        timestamp_column("created_at"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", _tz(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_mfa_recovery_codes_user_id_users",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("user_id", "code_hash", name="uq_mfa_recovery_codes_user_id_code_hash"),
    )


def _create_grants() -> None:
    op.create_table(
        "grants",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("granted_by", sa.Uuid(), nullable=True),
        timestamp_column("granted_at"),
        sa.Column("revoked_by", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", _tz(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_grants_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name="fk_grants_unit_id_units", ondelete="RESTRICT"
        ),
        sa.CheckConstraint(values_in("role", ROLES), name="ck_grants_role"),
        sa.CheckConstraint(
            "(revoked_at IS NULL) = (revoked_by IS NULL)", name="ck_grants_revoked_pair"
        ),
    )
    # One live grant per (user, role, unit); revoked rows stay as history.
    op.create_index(
        "ux_grants_user_id_role_unit_id_active",
        "grants",
        ["user_id", "role", "unit_id"],
        unique=True,
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    op.create_index("ix_grants_user_id", "grants", ["user_id"])
    op.create_index("ix_grants_unit_id", "grants", ["unit_id"])


def upgrade() -> None:
    _create_users()
    _create_login_failures()
    _create_recovery_codes()
    _create_grants()


def downgrade() -> None:
    op.drop_table("grants")
    op.drop_table("mfa_recovery_codes")
    op.drop_table("login_failures")
    op.drop_table("users")
