"""Users (officials and requesters), login failures and MFA recovery codes.

DOMAIN.md 2.3: officials act through grants (role + unit); requesters (`pemohon`)
register themselves. Both log in with email and password (issue 3).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from ppid_kit.models import CreatedAt, Timestamps, enum_type, values_in
from sqlmodel import Field, SQLModel


class UserKind(StrEnum):
    OFFICIAL = "official"
    REQUESTER = "requester"


class FailureScope(StrEnum):
    """What a `login_failures` row counts: one email (hashed) or one client address."""

    ACCOUNT = "account"
    ADDRESS = "address"


class User(Timestamps, table=True):
    __tablename__ = "users"
    __table_args__ = (
        sa.UniqueConstraint("email", name="uq_users_email"),
        # Emails are compared lower-cased; the database keeps the rule too.
        sa.CheckConstraint("email = lower(email)", name="ck_users_email_lower"),
        sa.CheckConstraint(values_in("kind", UserKind), name="ck_users_kind"),
        sa.Index("ix_users_kind_name_id", "kind", "name", "id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: UserKind = Field(sa_type=enum_type(UserKind))
    email: str = Field(max_length=320)
    name: str = Field(max_length=255)
    # None: no password login (e.g. an official invited but not yet set up).
    password_hash: str | None = Field(default=None, max_length=255)
    is_active: bool = True
    email_verified_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # AES-GCM ciphertext with its key id (accounts.mfa); never the plain secret.
    totp_secret_enc: str | None = Field(default=None, max_length=512)
    totp_confirmed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # RFC 6238 section 5.2: a code is accepted once; later codes must be of a later step.
    totp_last_step: int | None = Field(default=None, sa_type=sa.BigInteger())
    deleted_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))

    @property
    def mfa_enabled(self) -> bool:
        return self.totp_secret_enc is not None and self.totp_confirmed_at is not None


class LoginFailure(SQLModel, table=True):
    """Failed logins counted per account and per address, shared by every replica.

    `key` is an HMAC of the lower-cased email (so unknown emails lock like known
    ones and no email is stored) or the client address.
    """

    __tablename__ = "login_failures"
    __table_args__ = (
        sa.CheckConstraint(values_in("scope", FailureScope), name="ck_login_failures_scope"),
        sa.Index("ix_login_failures_last_failure_at", "last_failure_at"),
    )

    scope: FailureScope = Field(sa_type=enum_type(FailureScope), primary_key=True)
    key: str = Field(max_length=128, primary_key=True)
    failures: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    first_failure_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    last_failure_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    locked_until: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # Addresses only: blocks in a row, each twice as long as the one before (back-off).
    strikes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class MfaRecoveryCode(CreatedAt, table=True):
    """One-time recovery codes (random, 80 bits): stored as SHA-256, used once."""

    __tablename__ = "mfa_recovery_codes"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "code_hash", name="uq_mfa_recovery_codes_user_id_code_hash"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column_args=[
            sa.ForeignKey(
                "users.id", ondelete="CASCADE", name="fk_mfa_recovery_codes_user_id_users"
            )
        ],
    )
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
