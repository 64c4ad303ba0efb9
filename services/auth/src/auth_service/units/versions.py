"""`unit_versions`: an immutable row for every change of a unit (who, when, why, a copy).

Issue 3: "moving or deactivating a unit keeps history". The rows are append-only (a
trigger refuses UPDATE and DELETE, like the audit log); `snapshot` is the unit as the
directory showed it right after the change, `changes` the fields that changed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from ppid_kit.cursor import Page
from ppid_kit.models import PublicModel, enum_type, values_in
from pydantic import JsonValue
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from auth_service.units.models import UNIT_EXAMPLE


class UnitChange(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    MOVED = "moved"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"


class UnitVersionBase(SQLModel):
    unit_id: uuid.UUID = Field(
        primary_key=True,
        sa_column_args=[
            sa.ForeignKey("units.id", ondelete="RESTRICT", name="fk_unit_versions_unit_id_units")
        ],
    )
    version: int = Field(primary_key=True, description="1 for the creation, then one per change.")
    root_id: uuid.UUID
    action: UnitChange = Field(sa_type=enum_type(UnitChange))
    actor_id: str | None = Field(
        default=None, max_length=64, description="User id; `operator` for the command line."
    )
    actor_type: str | None = Field(default=None, max_length=32)
    reason: str | None = Field(default=None, max_length=500)
    changes: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSONB,
        description="Changed fields: `{field: {from, to}}`.",
    )
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)


class UnitVersion(UnitVersionBase, table=True):
    __tablename__ = "unit_versions"
    __table_args__ = (
        sa.CheckConstraint("version > 0", name="ck_unit_versions_version_positive"),
        sa.CheckConstraint(values_in("action", UnitChange), name="ck_unit_versions_action"),
        sa.Index("ix_unit_versions_root_id_changed_at", "root_id", "changed_at"),
    )

    changed_at: datetime = Field(
        default=None,
        nullable=False,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
    )


VERSION_EXAMPLE: dict[str, JsonValue] = {
    "unit_id": UNIT_EXAMPLE["id"],
    "version": 2,
    "root_id": UNIT_EXAMPLE["root_id"],
    "action": "moved",
    "actor_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99",
    "actor_type": "official",
    "reason": "Perwal 3/2025",
    "changes": {"parent_id": {"from": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01", "to": "…"}},
    "snapshot": UNIT_EXAMPLE,
    "changed_at": "2025-03-01T10:15:00+07:00",
}


class UnitVersionPublic(UnitVersionBase, PublicModel):
    """One change of a unit, as its history shows it."""

    model_config = {"json_schema_extra": {"examples": [VERSION_EXAMPLE]}}

    changed_at: datetime


class UnitVersionPage(Page[UnitVersionPublic]):
    """A page of a unit's history, newest first."""
