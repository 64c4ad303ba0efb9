"""DIP entries: the public information register (Daftar Informasi Publik).

Columns follow DOMAIN.md 5.1 (Perki 1/2010 Lampiran II minimum columns, plus the
category and year that implementations add); states follow DOMAIN.md 5.2.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from ppid_kit.cursor import Page
from ppid_kit.models import PublicModel, Timestamps, enum_type, values_in
from pydantic import JsonValue
from sqlmodel import Field, SQLModel


class DipCategory(StrEnum):
    """The three categories of public information (UU 14/2008 Pasal 9, 10, 11; DOMAIN.md 4)."""

    BERKALA = "berkala"
    SERTA_MERTA = "serta_merta"
    SETIAP_SAAT = "setiap_saat"


class DipStatus(StrEnum):
    """DOMAIN.md 5.2: draft → proposed → verified → published → superseded/archived."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    VERIFIED = "verified"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    ARCHIVED = "archived"
    WITHDRAWN = "withdrawn"


class InfoFormat(StrEnum):
    """Available form of the information (DOMAIN.md 5.1 column 6)."""

    SOFTCOPY = "softcopy"
    HARDCOPY = "hardcopy"


class DipEntryBase(SQLModel):
    root_id: uuid.UUID = Field(description="The badan publik whose DIP lists the entry.")
    unit_id: uuid.UUID = Field(description="Unit that holds the information (5.1 col. 3).")
    number: str = Field(max_length=64, description="Number in the DIP (5.1 col. 1).")
    title: str = Field(max_length=500)
    summary: str = Field(sa_type=sa.Text, description="Summary of contents (5.1 col. 2).")
    category: DipCategory = Field(sa_type=enum_type(DipCategory))
    year: int = Field(ge=1900, le=2999, description="Year the information belongs to.")
    responsible_official: str | None = Field(
        default=None, max_length=255, description="Who made or issued it (5.1 col. 4)."
    )
    information_date: date | None = Field(default=None, description="When it was made (col. 5).")
    information_place: str | None = Field(
        default=None, max_length=255, description="Where it was made (col. 5)."
    )
    available_formats: list[InfoFormat] = Field(
        default_factory=list,
        sa_type=sa.ARRAY(sa.String(16)),
        description="Forms in which it is available (col. 6).",
    )
    retention_period: str | None = Field(
        default=None, max_length=255, description="Retention per the JRA (col. 7)."
    )


class DipEntry(DipEntryBase, Timestamps, table=True):
    __tablename__ = "dip_entries"
    __table_args__ = (
        sa.UniqueConstraint("root_id", "number", name="uq_dip_entries_root_id_number"),
        sa.CheckConstraint(values_in("category", DipCategory), name="ck_dip_entries_category"),
        sa.CheckConstraint(values_in("status", DipStatus), name="ck_dip_entries_status"),
        sa.CheckConstraint("year BETWEEN 1900 AND 2999", name="ck_dip_entries_year"),
        sa.CheckConstraint(
            "available_formats <@ ARRAY['softcopy', 'hardcopy']::varchar[]",
            name="ck_dip_entries_available_formats",
        ),
        sa.CheckConstraint(
            "status <> 'published' OR published_at IS NOT NULL",
            name="ck_dip_entries_published_at",
        ),
        # Keyset order of the public list, (updated_at DESC, id DESC), over published rows.
        sa.Index(
            "ix_dip_entries_published_updated_at_id",
            "updated_at",
            "id",
            postgresql_where=sa.text("status = 'published'"),
        ),
        sa.Index(
            "ix_dip_entries_published_root_id_updated_at_id",
            "root_id",
            "updated_at",
            "id",
            postgresql_where=sa.text("status = 'published'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    status: DipStatus = Field(default=DipStatus.DRAFT, sa_type=enum_type(DipStatus))
    published_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


ENTRY_EXAMPLE: dict[str, JsonValue] = {
    "id": "8f7d2c1a-3b4e-4c5d-9e6f-a1b2c3d4e5f6",
    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
    "unit_id": "0b9c5a52-4a8e-4f0e-9a51-6f0d1f7c2a10",
    "number": "DIP-2025-014",
    "title": "Laporan Realisasi Anggaran Dinas Kominfo 2024",
    "summary": "Realisasi pendapatan dan belanja Dinas Kominfo tahun anggaran 2024.",
    "category": "berkala",
    "year": 2024,
    "responsible_official": "Sekretaris Dinas Kominfo",
    "information_date": "2025-02-14",
    "information_place": "Bukittinggi",
    "available_formats": ["softcopy", "hardcopy"],
    "retention_period": "10 tahun (JRA keuangan)",
    "published_at": "2025-03-01T09:00:00+07:00",
    "updated_at": "2025-03-01T09:00:00+07:00",
}


class DipEntryPublic(DipEntryBase, PublicModel):
    """A published entry as the public DIP shows it."""

    model_config = {"json_schema_extra": {"examples": [ENTRY_EXAMPLE]}}

    id: uuid.UUID
    published_at: datetime
    updated_at: datetime


class DipEntryPage(Page[DipEntryPublic]):
    """A page of the public DIP, most recently updated first."""
