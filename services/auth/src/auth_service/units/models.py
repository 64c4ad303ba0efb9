"""Units: the tree of badan publik and their OPD, kecamatan, kelurahan, UPT, RSUD.

DOMAIN.md 2.2: a root is one Badan Publik (a Pemkot, a Pemkab, a ministry); the
units below it carry the PPID Pelaksana; exactly one PPID Utama per root.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from ppid_kit.cursor import Page
from ppid_kit.models import PublicModel, Timestamps, enum_type, values_in
from pydantic import JsonValue
from sqlmodel import Field, SQLModel


class UnitKind(StrEnum):
    """What a unit is; a root is always a `badan_publik` (DOMAIN.md 2.2)."""

    BADAN_PUBLIK = "badan_publik"
    OPD = "opd"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    UPT = "upt"
    RSUD = "rsud"
    OTHER = "other"


class PpidDesignation(StrEnum):
    """The PPID a unit carries: one `utama` per root, `pelaksana` in units (DOMAIN.md 2.2)."""

    UTAMA = "utama"
    PELAKSANA = "pelaksana"
    NONE = "none"


class RootTimeZone(StrEnum):
    """Legal deadlines end at midnight in the root's zone (DOMAIN.md 14.2, API.md)."""

    WIB = "Asia/Jakarta"
    WITA = "Asia/Makassar"
    WIT = "Asia/Jayapura"


class UnitBase(SQLModel):
    code: str = Field(max_length=64, description="Stable, unique code of the unit.")
    name: str = Field(max_length=255)
    kind: UnitKind = Field(sa_type=enum_type(UnitKind))
    parent_id: uuid.UUID | None = Field(default=None, description="Null for a root.")
    root_id: uuid.UUID = Field(description="The badan publik this unit belongs to.")
    ppid: PpidDesignation = Field(default=PpidDesignation.NONE, sa_type=enum_type(PpidDesignation))
    time_zone: RootTimeZone | None = Field(
        default=None,
        sa_type=enum_type(RootTimeZone),
        description="Set on roots; units below follow their root.",
    )
    is_active: bool = True


class Unit(UnitBase, Timestamps, table=True):
    __tablename__ = "units"
    __table_args__ = (
        sa.UniqueConstraint("code", name="uq_units_code"),
        # A child's root is its parent's root: the pair (parent_id, root_id) must exist.
        sa.UniqueConstraint("id", "root_id", name="uq_units_id_root_id"),
        sa.ForeignKeyConstraint(
            ["parent_id", "root_id"],
            ["units.id", "units.root_id"],
            name="fk_units_parent_id_root_id_units",
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint("(parent_id IS NULL) = (root_id = id)", name="ck_units_root_is_self"),
        sa.CheckConstraint(
            "parent_id IS NOT NULL OR (kind = 'badan_publik' AND time_zone IS NOT NULL)",
            name="ck_units_root_shape",
        ),
        sa.CheckConstraint(values_in("kind", UnitKind), name="ck_units_kind"),
        sa.CheckConstraint(values_in("ppid", PpidDesignation), name="ck_units_ppid"),
        sa.CheckConstraint(values_in("time_zone", RootTimeZone), name="ck_units_time_zone"),
        # Exactly one PPID Utama per root (DOMAIN.md 2.2).
        sa.Index(
            "ux_units_root_id_ppid_utama",
            "root_id",
            unique=True,
            postgresql_where=sa.text("ppid = 'utama'"),
        ),
        sa.Index("ix_units_name_id", "name", "id"),
        sa.Index("ix_units_root_id_name_id", "root_id", "name", "id"),
        sa.Index("ix_units_parent_id", "parent_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


UNIT_EXAMPLE: dict[str, JsonValue] = {
    "id": "0b9c5a52-4a8e-4f0e-9a51-6f0d1f7c2a10",
    "code": "kota-bukittinggi.diskominfo",
    "name": "Dinas Komunikasi dan Informatika",
    "kind": "opd",
    "parent_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
    "ppid": "utama",
    "time_zone": None,
    "is_active": True,
    "created_at": "2025-01-06T08:00:00+07:00",
    "updated_at": "2025-03-01T10:15:00+07:00",
}


class UnitPublic(UnitBase, PublicModel):
    """A unit as the public directory of PPIDs shows it."""

    model_config = {"json_schema_extra": {"examples": [UNIT_EXAMPLE]}}

    id: uuid.UUID
    created_at: datetime
    updated_at: datetime


class UnitPage(Page[UnitPublic]):
    """A page of the directory, in name order."""
