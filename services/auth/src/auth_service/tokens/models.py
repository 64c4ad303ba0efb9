"""Signing keys and refresh tokens (issue 3, item 5; ARCHITECTURE.md "Tenancy and permissions")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from ppid_kit.models import CreatedAt
from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy.dialects import postgresql
from sqlmodel import Field


def _tz(**kwargs: Any) -> Any:
    return Field(sa_type=sa.DateTime(timezone=True), **kwargs)


class SigningKey(CreatedAt, table=True):
    """One asymmetric key pair; the active one signs, retired ones stay published a while.

    Published until `retired_at + access_token_ttl + leeway`: the last token it signed
    must still verify at every service until it expires (issue 3, item 5).
    """

    __tablename__ = "signing_keys"
    __table_args__ = (
        sa.CheckConstraint("alg IN ('ES256', 'RS256')", name="ck_signing_keys_alg"),
        # At most one key signs at a time; a concurrent second rotation fails instead of forking.
        sa.Index(
            "ux_signing_keys_active",
            sa.text("(retired_at IS NULL)"),
            unique=True,
            postgresql_where=sa.text("retired_at IS NULL"),
        ),
    )

    kid: str = Field(primary_key=True, max_length=64)
    alg: str = Field(default="ES256", max_length=16)
    # AES-GCM (AUTH_KEY_ENCRYPTION_KEY) of the PKCS#8 PEM; a database dump alone cannot sign.
    private_key_enc: str = Field(sa_type=sa.Text())
    public_jwk: dict[str, Any] = Field(sa_type=postgresql.JSONB())
    # Now, by the database clock, unless a key is staged to activate later.
    activated_at: datetime = _tz(
        default=None, nullable=False, sa_column_kwargs={"server_default": sa.func.now()}
    )
    retired_at: datetime | None = _tz(default=None)


class RefreshToken(CreatedAt, table=True):
    """An opaque refresh token, known only by its SHA-256; one row per rotation step.

    A family is one login: every rotation adds a row with the same `family_id`. A used
    or revoked token presented again revokes the whole family (reuse detection).
    """

    __tablename__ = "refresh_tokens"
    __table_args__ = (
        sa.UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),
        sa.Index("ix_refresh_tokens_family_id", "family_id"),
        sa.Index(
            "ix_refresh_tokens_user_id_live", "user_id", postgresql_where="revoked_at IS NULL"
        ),
        sa.Index("ix_refresh_tokens_expires_at", "expires_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    token_hash: str = Field(max_length=64)
    family_id: uuid.UUID
    user_id: uuid.UUID = Field(
        sa_column_args=[
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_refresh_tokens_user_id_users")
        ],
    )
    # The front-end (API client) the session was opened through, if it said so.
    client_id: str | None = Field(default=None, max_length=64)
    expires_at: datetime = _tz()
    used_at: datetime | None = _tz(default=None)
    revoked_at: datetime | None = _tz(default=None)


class TokenResponse(BaseModel):
    """RFC 6749 §5.1: a successful token response."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJFUzI1NiIsImtpZCI6Ii4uLiJ9.eyJzdWIiOiIuLi4ifQ.c2ln",
                    "token_type": "Bearer",
                    "expires_in": 900,
                    "refresh_token": "q8Xb1nY4cZ0u3sKf9Vb2mW7eT5rL6pA1dH8jN0gC4iE",
                    "scope": None,
                }
            ]
        }
    )

    access_token: str
    token_type: str = "Bearer"  # noqa: S105 (RFC 6750's scheme name, not a secret)
    expires_in: int = PydanticField(description="Seconds until the access token expires.")
    refresh_token: str | None = PydanticField(
        default=None, description="Opaque, single use: each refresh returns a new one."
    )
    scope: str | None = PydanticField(default=None, description="Space-separated scopes.")
