"""Grants: a role held at a unit (DOMAIN.md 2.2 "roles attach to (user, unit)").

A role at a unit covers its subtree (auth_service.permissions). Revoking keeps the
row with `revoked_by`/`revoked_at`: who held what, when, stays answerable.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from ppid_kit.models import PublicModel, enum_type, values_in
from pydantic import JsonValue
from sqlmodel import Field, SQLModel


class OfficialRole(StrEnum):
    """Roles an official can be granted (DOMAIN.md 2.3); `pemohon` is a user kind, not a grant."""

    ADMIN = "admin"
    PPID_UTAMA = "ppid_utama"
    PPID_PELAKSANA = "ppid_pelaksana"
    PETUGAS_LAYANAN = "petugas_layanan"
    ATASAN_PPID = "atasan_ppid"
    TIM_PERTIMBANGAN = "tim_pertimbangan"
    AUDITOR = "auditor"


class GrantRow(SQLModel, table=True):
    """A row of `grants` (the kit's `Grant(role, unit_id)` is what tokens carry)."""

    __tablename__ = "grants"
    __table_args__ = (
        sa.CheckConstraint(values_in("role", OfficialRole), name="ck_grants_role"),
        sa.CheckConstraint(
            "(revoked_at IS NULL) = (revoked_by IS NULL)", name="ck_grants_revoked_pair"
        ),
        # One live grant per (user, role, unit); history rows may repeat it.
        sa.Index(
            "ux_grants_user_id_role_unit_id_active",
            "user_id",
            "role",
            "unit_id",
            unique=True,
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
        sa.Index("ix_grants_user_id", "user_id"),
        sa.Index("ix_grants_unit_id", "unit_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column_args=[
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_grants_user_id_users")
        ],
    )
    role: OfficialRole = Field(sa_type=enum_type(OfficialRole))
    unit_id: uuid.UUID = Field(
        sa_column_args=[
            sa.ForeignKey("units.id", ondelete="RESTRICT", name="fk_grants_unit_id_units")
        ],
    )
    # None for grants made by the system (demo seed, first admin of a root).
    granted_by: uuid.UUID | None = None
    granted_at: datetime = Field(
        default=None,
        nullable=False,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
    )
    revoked_by: uuid.UUID | None = None
    revoked_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


GRANT_EXAMPLE: dict[str, JsonValue] = {
    "id": "7f1d2c3b-9a8e-4d6f-8b1a-2c3d4e5f6a7b",
    "user_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99",
    "role": "ppid_pelaksana",
    "unit_id": "0b9c5a52-4a8e-4f0e-9a51-6f0d1f7c2a10",
    "granted_by": "11111111-2222-4333-8444-555555555555",
    "granted_at": "2025-03-01T10:15:00+07:00",
    "revoked_by": None,
    "revoked_at": None,
}


class GrantPublic(PublicModel):
    """A grant, live or revoked."""

    model_config = {"json_schema_extra": {"examples": [GRANT_EXAMPLE]}}  # noqa: RUF012 (pydantic config)

    id: uuid.UUID
    user_id: uuid.UUID
    role: OfficialRole
    unit_id: uuid.UUID
    granted_by: uuid.UUID | None
    granted_at: datetime
    revoked_by: uuid.UUID | None
    revoked_at: datetime | None


class GrantCreate(SQLModel):
    """Grant `role` at `unit_id` (it covers the unit's subtree)."""

    model_config = {
        "json_schema_extra": {
            "examples": [{"role": "ppid_pelaksana", "unit_id": GRANT_EXAMPLE["unit_id"]}]
        }
    }

    role: OfficialRole
    unit_id: uuid.UUID
