"""API clients: third-party front-ends, mobile apps, aggregators and service accounts.

Issue 3, item 4: registered by an admin of a root with allowed scopes, CORS origins
and a rate-limit tier; OAuth2 client credentials; secrets shown once, stored hashed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import sqlalchemy as sa
from ppid_kit.cursor import Page
from ppid_kit.models import PublicModel, Timestamps, enum_type, values_in
from pydantic import AfterValidator, JsonValue
from sqlalchemy.dialects import postgresql
from sqlmodel import Field, SQLModel

from auth_service.clients.scopes import check_origins, check_scopes


class RateLimitTier(StrEnum):
    """Quota class the gateway applies per client (issue 3, item 4)."""

    STANDARD = "standard"
    PARTNER = "partner"
    INTERNAL = "internal"


Scopes = Annotated[list[str], AfterValidator(check_scopes)]
Origins = Annotated[list[str], AfterValidator(check_origins)]


class ApiClient(Timestamps, table=True):
    __tablename__ = "api_clients"
    __table_args__ = (
        sa.CheckConstraint(values_in("rate_limit_tier", RateLimitTier), name="ck_api_clients_tier"),
        sa.Index("ix_api_clients_root_id_name_client_id", "root_id", "name", "client_id"),
    )

    client_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=255)
    root_id: uuid.UUID = Field(
        sa_column_args=[
            sa.ForeignKey("units.id", ondelete="RESTRICT", name="fk_api_clients_root_id_units")
        ],
    )
    scopes: list[str] = Field(sa_type=postgresql.ARRAY(sa.Text()))
    cors_origins: list[str] = Field(sa_type=postgresql.ARRAY(sa.Text()))
    rate_limit_tier: RateLimitTier = Field(sa_type=enum_type(RateLimitTier))
    is_service_account: bool = False
    is_active: bool = True
    # HMAC-SHA256 under a pepper derived from AUTH_KEY_ENCRYPTION_KEY (tokens.sealing).
    secret_hash: str = Field(max_length=64)
    secret_rotated_at: datetime = Field(
        default=None,
        nullable=False,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
    )
    created_by: uuid.UUID | None = None


CLIENT_EXAMPLE: dict[str, JsonValue] = {
    "client_id": "tbk-4f9d2c7a1b8e",
    "name": "Aplikasi PPID Kota Contoh (Android)",
    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
    "scopes": ["requests:submit", "requests:track"],
    "cors_origins": ["https://ppid.kotacontoh.go.id"],
    "rate_limit_tier": "standard",
    "is_service_account": False,
    "is_active": True,
    "secret_rotated_at": "2025-03-01T10:15:00+07:00",
    "created_at": "2025-03-01T10:15:00+07:00",
    "updated_at": "2025-03-01T10:15:00+07:00",
}
SECRET_EXAMPLE = "9fQe3Lr0Zx7bNw2Kc5Vt8Ys1Hd4Jg6Pm0Ua3Ri7Eo2"  # noqa: S105 (an example)


class ClientCreate(SQLModel):
    """Register a client of `root_id` (the caller must be admin of that root)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {k: CLIENT_EXAMPLE[k] for k in ("name", "root_id", "scopes", "cors_origins")}
            ]
        }
    }

    name: str = Field(min_length=1, max_length=255)
    root_id: uuid.UUID
    scopes: Scopes = Field(description="From the allowlist in docs/auth-contract.md.")
    cors_origins: Origins = Field(default_factory=list, description="`https://host[:port]`.")
    rate_limit_tier: RateLimitTier = RateLimitTier.STANDARD
    is_service_account: bool = False


class ClientUpdate(SQLModel):
    """Fields to change; the root and the service-account flag are fixed at creation."""

    model_config = {"json_schema_extra": {"examples": [{"scopes": ["dip:read", "dip:feed"]}]}}

    name: str | None = Field(default=None, min_length=1, max_length=255)
    scopes: Scopes | None = None
    cors_origins: Origins | None = None
    rate_limit_tier: RateLimitTier | None = None
    is_active: bool | None = None


class ClientPublic(PublicModel):
    """A client as its admins see it; never its secret."""

    model_config = {  # noqa: RUF012 (pydantic config, read once at class creation)
        "json_schema_extra": {"examples": [CLIENT_EXAMPLE]}
    }

    client_id: str
    name: str
    root_id: uuid.UUID
    scopes: list[str]
    cors_origins: list[str]
    rate_limit_tier: RateLimitTier
    is_service_account: bool
    is_active: bool
    secret_rotated_at: datetime
    created_at: datetime
    updated_at: datetime


class ClientWithSecret(ClientPublic):
    """The client and its new secret: shown this once, stored only as a hash."""

    model_config = {  # noqa: RUF012 (pydantic config, read once at class creation)
        "json_schema_extra": {"examples": [{**CLIENT_EXAMPLE, "client_secret": SECRET_EXAMPLE}]}
    }

    client_secret: str | None = Field(
        description="Only in the first response; a replay (same Idempotency-Key) has null."
    )


class ClientPage(Page[ClientPublic]):
    """A page of clients, by root then name."""
