"""Units: the tree of badan publik and their OPD, kecamatan, kelurahan, UPT, RSUD.

DOMAIN.md 2.2: a root is one Badan Publik (a Pemkot, a Pemkab, a ministry); the
units below it carry the PPID Pelaksana; exactly one PPID Utama per root.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from ppid_kit.cursor import Page
from ppid_kit.models import LocalTime, PublicModel, Timestamps, enum_type, values_in
from pydantic import JsonValue, model_validator
from sqlalchemy.dialects.postgresql import JSONB
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


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class ServicePeriod(SQLModel):
    """One opening period of the PPID desk (a day may have two, around a break)."""

    day: Weekday
    opens: LocalTime = Field(description="Local time of the root's zone.")
    closes: LocalTime

    @model_validator(mode="after")
    def _opens_before_closes(self) -> ServicePeriod:
        if self.opens >= self.closes:
            raise ValueError("opens must be before closes")
        return self


def check_periods(periods: list[ServicePeriod]) -> list[ServicePeriod]:
    """Periods of the same day may not overlap; kept in weekday and time order."""
    days = list(Weekday)
    ordered = sorted(periods, key=lambda p: (days.index(p.day), p.opens))
    for before, after in itertools.pairwise(ordered):
        if before.day == after.day and after.opens < before.closes:
            raise ValueError(f"service periods overlap on {after.day.value}")
    return ordered


# Public contact data of the PPID office (UU 14/2008 Pasal 13: the body names its PPID
# and how to reach it), not an official's personal data.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-]{4,30}$"


class UnitDetails(SQLModel):
    description: str | None = Field(default=None, max_length=2000)
    contact_email: str | None = Field(
        default=None, max_length=254, schema_extra={"pattern": EMAIL_PATTERN}
    )
    contact_phone: str | None = Field(
        default=None, max_length=32, schema_extra={"pattern": PHONE_PATTERN}
    )
    contact_address: str | None = Field(default=None, max_length=500)


class UnitBase(UnitDetails):
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
    # `ServicePeriod`s as JSON: read whole, never queried by their parts.
    service_hours: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_type=JSONB,
        sa_column_kwargs={"server_default": sa.text("'[]'::jsonb")},
    )


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
    "description": "PPID Utama Pemerintah Kota Bukittinggi.",
    "contact_email": "ppid@bukittinggikota.go.id",
    "contact_phone": "+62 752 21234",
    "contact_address": "Jl. Jenderal Sudirman No. 27, Bukittinggi",
    "service_hours": [
        {"day": "mon", "opens": "08:00:00", "closes": "16:00:00"},
        {"day": "fri", "opens": "08:00:00", "closes": "11:30:00"},
        {"day": "fri", "opens": "13:30:00", "closes": "16:30:00"},
    ],
    "created_at": "2025-01-06T08:00:00+07:00",
    "updated_at": "2025-03-01T10:15:00+07:00",
}


class UnitPublic(UnitBase, PublicModel):
    """A unit as the public directory of PPIDs shows it."""

    model_config = {"json_schema_extra": {"examples": [UNIT_EXAMPLE]}}

    id: uuid.UUID
    service_hours: list[ServicePeriod]
    created_at: datetime
    updated_at: datetime


class UnitPage(Page[UnitPublic]):
    """A page of the directory, in name order."""


CODE_PATTERN = r"^[a-z0-9][a-z0-9.\-]{1,63}$"
_REASON = Field(default=None, max_length=500, description="Why: kept in the unit's history.")


class UnitCreate(UnitDetails):
    """A new unit below `parent_id` (roots are made by the operator: `units.cli create-root`)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "code": "kota-contoh.dinsos",
                    "name": "Dinas Sosial",
                    "kind": "opd",
                    "parent_id": UNIT_EXAMPLE["root_id"],
                    "ppid": "pelaksana",
                    "contact_email": "ppid.dinsos@contoh.go.id",
                    "service_hours": [{"day": "mon", "opens": "08:00", "closes": "16:00"}],
                    "reason": "SK Wali Kota 12/2025",
                }
            ]
        }
    }

    code: str = Field(
        max_length=64, schema_extra={"pattern": CODE_PATTERN}, description="Stable and unique."
    )
    name: str = Field(min_length=1, max_length=255)
    kind: UnitKind
    parent_id: uuid.UUID
    ppid: PpidDesignation = PpidDesignation.NONE
    service_hours: list[ServicePeriod] = Field(default_factory=list, max_length=21)
    reason: str | None = _REASON

    @model_validator(mode="after")
    def _check(self) -> UnitCreate:
        if self.kind == UnitKind.BADAN_PUBLIK:
            raise ValueError("a badan publik is a root; roots are created by the operator")
        self.service_hours = check_periods(self.service_hours)
        return self


# PATCH fields that may not be set to null (the others clear with null).
_NOT_NULL = ("name", "kind", "parent_id", "ppid", "time_zone", "is_active", "service_hours")


class UnitUpdate(UnitDetails):
    """Only the fields sent change; `parent_id` moves, `is_active` (de)activates (not `code`)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"contact_phone": "+62 21 555 0101", "reason": "Nomor baru"},
                {"parent_id": UNIT_EXAMPLE["root_id"], "reason": "Perwal 3/2025"},
                {"is_active": False, "reason": "Dilebur ke Dinas Kesehatan"},
            ]
        }
    }

    name: str | None = Field(default=None, min_length=1, max_length=255)
    kind: UnitKind | None = None
    parent_id: uuid.UUID | None = None
    ppid: PpidDesignation | None = None
    time_zone: RootTimeZone | None = Field(default=None, description="Roots only.")
    is_active: bool | None = None
    service_hours: list[ServicePeriod] | None = Field(default=None, max_length=21)
    reason: str | None = _REASON

    @model_validator(mode="after")
    def _check(self) -> UnitUpdate:
        nulls = [name for name in _NOT_NULL if name in self.model_fields_set]
        if any(getattr(self, name) is None for name in nulls):
            raise ValueError(f"these fields cannot be null: {', '.join(_NOT_NULL)}")
        if self.service_hours is not None:
            self.service_hours = check_periods(self.service_hours)
        return self

    def changes(self) -> dict[str, Any]:
        """The fields sent, as the row stores them (`reason` is not a field of the unit)."""
        sent = self.model_dump(mode="json", include=self.model_fields_set - {"reason"})
        for name in ("kind", "parent_id", "ppid", "time_zone"):
            if name in sent:
                sent[name] = getattr(self, name)
        return sent


class UnitTreePublic(PublicModel):
    """Every unit of one root (or of all roots), active or not, for other services' caches."""

    root: uuid.UUID | None = Field(description="The root asked for; null for all roots.")
    units: list[UnitPublic]
