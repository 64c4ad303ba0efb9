"""DIP entries: the public information register (Daftar Informasi Publik).

Columns follow DOMAIN.md 5.1 (Perki 1/2010 Lampiran II minimum columns, plus the
category and year that implementations add); states follow DOMAIN.md 5.2.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from ppid_kit.cursor import Page
from ppid_kit.models import CreatedAt, PublicModel, Timestamps, enum_type, values_in
from pydantic import JsonValue
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
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


class Media(StrEnum):
    """Media the information is published in (DOMAIN.md 5.1, fields implementations add)."""

    PRINT = "print"
    ELECTRONIC = "electronic"
    WEBSITE = "website"


class PublishMode(StrEnum):
    """Per-root policy (DOMAIN.md 5.2): who may publish a unit's entry."""

    DIRECT = "direct"  # the unit's PPID Pelaksana publishes its own entries
    VERIFY = "verify"  # the PPID Utama verifies first (proposed → verified → published)


class VersionAction(StrEnum):
    """What a version of an entry records."""

    CREATE = "create"
    UPDATE = "update"
    PROPOSE = "propose"
    RETURN = "return"
    VERIFY = "verify"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    ARCHIVE = "archive"
    SUPERSEDE = "supersede"


class DipEntryContent(SQLModel):
    """The fields an official writes (everything but where the entry belongs)."""

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
    holder_official: str | None = Field(
        default=None, max_length=255, description="Official who holds the information (col. 3)."
    )
    subcategory: str | None = Field(default=None, max_length=120)
    media: list[Media] = Field(
        default_factory=list, sa_type=sa.ARRAY(sa.String(16)), description="Media it appears in."
    )
    tags: list[str] = Field(default_factory=list, sa_type=sa.ARRAY(sa.String(64)))
    decree_reference: str | None = Field(
        default=None, max_length=255, description="The decree (SK) that lists it."
    )
    links: list[dict[str, str]] = Field(
        default_factory=list,
        sa_type=JSONB,
        description="Links to the information elsewhere: objects with `title` and `url`.",
    )


class DipEntryBase(DipEntryContent):
    root_id: uuid.UUID = Field(description="The badan publik whose DIP lists the entry.")
    unit_id: uuid.UUID = Field(description="Unit that holds the information (5.1 col. 3).")


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
            "media <@ ARRAY['print', 'electronic', 'website']::varchar[]",
            name="ck_dip_entries_media",
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
    version: int = Field(default=1, ge=1, description="Number of the entry's latest version.")
    superseded_by: uuid.UUID | None = Field(default=None, foreign_key="dip_entries.id")
    created_by: uuid.UUID | None = Field(default=None)


# The full-text column (migration 0002): generated by the database from number and title
# (weight A), summary (B), tags and sub-category (C) with the `indonesian` configuration.
# It is part of the table (so migrations and models agree) but not mapped: the ORM never
# loads it, queries name it through `SEARCH_VECTOR`. `dip_tags_text` is an IMMUTABLE
# wrapper of array_to_string, which is only STABLE (migration 0002 creates it).
_DIP_TABLE: sa.Table = DipEntry.__table__  # type: ignore[attr-defined]
SEARCH_VECTOR: sa.Column[Any] = sa.Column(
    "search",
    TSVECTOR,
    sa.Computed(
        "setweight(to_tsvector('indonesian'::regconfig, number || ' ' || title), 'A') || "
        "setweight(to_tsvector('indonesian'::regconfig, summary), 'B') || "
        "setweight(to_tsvector('indonesian'::regconfig, "
        "dip_tags_text(tags) || ' ' || coalesce(subcategory, '')), 'C')",
        persisted=True,
    ),
)
_DIP_TABLE.append_column(SEARCH_VECTOR)
sa.Index("ix_dip_entries_search", SEARCH_VECTOR, postgresql_using="gin")
sa.Index("ix_dip_entries_tags", _DIP_TABLE.c.tags, postgresql_using="gin")
sa.Index("ix_dip_entries_unit_id", _DIP_TABLE.c.unit_id)


class DipEntryVersion(CreatedAt, table=True):
    """One immutable version of an entry: who, when, why, and the entry as it then was.

    Append-only (a trigger refuses UPDATE and DELETE), like the audit log.
    """

    __tablename__ = "dip_entry_versions"
    __table_args__ = (
        sa.UniqueConstraint("entry_id", "version", name="uq_dip_entry_versions_entry_id_version"),
        sa.CheckConstraint(values_in("action", VersionAction), name="ck_dip_entry_versions_action"),
        sa.CheckConstraint(values_in("status", DipStatus), name="ck_dip_entry_versions_status"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entry_id: uuid.UUID = Field(foreign_key="dip_entries.id")
    version: int = Field(ge=1)
    action: VersionAction = Field(sa_type=enum_type(VersionAction))
    status: DipStatus = Field(sa_type=enum_type(DipStatus), description="Status after it.")
    reason: str | None = Field(default=None, sa_type=sa.Text)
    actor_id: uuid.UUID | None = Field(default=None)
    actor_role: str | None = Field(default=None, max_length=32)
    snapshot: dict[str, JsonValue] = Field(sa_type=JSONB, description="The entry's fields then.")


class DipPolicy(Timestamps, table=True):
    """Per-root publication policy (DOMAIN.md 5.2, 6.3); a root without a row has the defaults."""

    __tablename__ = "dip_policies"
    __table_args__ = (
        sa.CheckConstraint(values_in("publish_mode", PublishMode), name="ck_dip_policies_mode"),
    )

    root_id: uuid.UUID = Field(primary_key=True)
    publish_mode: PublishMode = Field(default=PublishMode.VERIFY, sa_type=enum_type(PublishMode))
    dik_public: bool = Field(default=True, description="Whether the DIK list is public.")
    berkala_stale_days: int = Field(
        default=30, ge=1, le=366, description="Berkala entries older than this are stale."
    )
    updated_by: uuid.UUID | None = Field(default=None)


class DipDecree(Timestamps, table=True):
    """The yearly decree (SK penetapan DIP) of a root (DOMAIN.md 5.2; Monev item 30)."""

    __tablename__ = "dip_decrees"
    __table_args__ = (
        sa.UniqueConstraint("root_id", "year", name="uq_dip_decrees_root_id_year"),
        sa.CheckConstraint("year BETWEEN 1900 AND 2999", name="ck_dip_decrees_year"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    root_id: uuid.UUID
    year: int = Field(ge=1900, le=2999)
    number: str = Field(max_length=255)
    decree_date: date
    signed_by: str | None = Field(default=None, max_length=255)
    recorded_by: uuid.UUID | None = Field(default=None)


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


class DipEntryListItem(DipEntryPublic):
    """An entry in the public list; `snippet` only when searching with `q`."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **ENTRY_EXAMPLE,
                    "snippet": "<b>Realisasi</b> pendapatan dan belanja Dinas Kominfo",
                }
            ]
        }
    }

    snippet: str | None = Field(
        default=None,
        description="With `q`: the summary's best passage, matches in `<b>…</b>`; else null.",
    )


class DipEntryPage(Page[DipEntryListItem]):
    """A page of the public DIP: most recently updated first, or best match first with `q`."""


VERSION_EXAMPLE: dict[str, JsonValue] = {
    "version": 3,
    "action": "publish",
    "status": "published",
    "reason": None,
    "created_at": "2025-03-01T09:00:00+07:00",
    "actor_role": "ppid_utama",
}


class DipVersionPublic(PublicModel):
    """One change of an entry as the public sees it: never who made it, only their role."""

    model_config = {"json_schema_extra": {"examples": [VERSION_EXAMPLE]}}  # noqa: RUF012 (a pydantic config)

    version: int
    action: VersionAction
    status: DipStatus = Field(description="The entry's status after the change.")
    reason: str | None
    created_at: datetime
    actor_role: str | None


class DipVersionFull(DipVersionPublic):
    """One change of an entry for the officials of its root: who, and the entry as it then was."""

    model_config = {  # noqa: RUF012 (a pydantic config)
        "json_schema_extra": {
            "examples": [
                {
                    **VERSION_EXAMPLE,
                    "id": "3a1f0c52-9b7e-4a43-8d2c-5e6f7a8b9c0d",
                    "actor_id": "7c2e9f10-1d4b-4e8a-b6c3-2a1d0e9f8b7c",
                    "snapshot": {"number": "DIP-2025-014", "status": "published"},
                }
            ]
        }
    }

    id: uuid.UUID
    actor_id: uuid.UUID | None
    snapshot: dict[str, JsonValue]


_CREATE_EXAMPLE: dict[str, JsonValue] = {
    "unit_id": "0b9c5a52-4a8e-4f0e-9a51-6f0d1f7c2a10",
    "number": "DIP-2025-014",
    "title": "Laporan Realisasi Anggaran Dinas Kominfo 2024",
    "summary": "Realisasi pendapatan dan belanja Dinas Kominfo tahun anggaran 2024.",
    "category": "berkala",
    "year": 2024,
    "responsible_official": "Sekretaris Dinas Kominfo",
    "available_formats": ["softcopy"],
    "tags": ["anggaran", "keuangan"],
}


class DipEntryCreate(DipEntryContent):
    """A new draft entry of a unit; its root comes from the unit tree, never from the client."""

    model_config = {"json_schema_extra": {"examples": [_CREATE_EXAMPLE]}}

    unit_id: uuid.UUID = Field(description="Unit that holds the information (5.1 col. 3).")


class DipEntryUpdate(SQLModel):
    """The fields to change (absent ones stay); `reason` is kept in the entry's history."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "summary": "Realisasi pendapatan dan belanja, dengan catatan atas laporan.",
                    "tags": ["anggaran", "keuangan", "realisasi"],
                    "reason": "Ringkasan dilengkapi.",
                }
            ]
        }
    }

    unit_id: uuid.UUID | None = Field(default=None, description="Another unit of the same root.")
    number: str | None = Field(default=None, min_length=1, max_length=64)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    summary: str | None = Field(default=None, min_length=1)
    category: DipCategory | None = None
    year: int | None = Field(default=None, ge=1900, le=2999)
    responsible_official: str | None = Field(default=None, max_length=255)
    information_date: date | None = None
    information_place: str | None = Field(default=None, max_length=255)
    available_formats: list[InfoFormat] | None = None
    retention_period: str | None = Field(default=None, max_length=255)
    holder_official: str | None = Field(default=None, max_length=255)
    subcategory: str | None = Field(default=None, max_length=120)
    media: list[Media] | None = None
    tags: list[str] | None = None
    decree_reference: str | None = Field(default=None, max_length=255)
    links: list[dict[str, str]] | None = None
    reason: str | None = Field(default=None, max_length=2000, description="Why it changed.")


# Fields an update may not set to null.
REQUIRED_CONTENT = ("unit_id", "number", "title", "summary", "category", "year")
# Array fields: null means empty.
LIST_CONTENT = ("available_formats", "media", "tags", "links")


class EntryAction(SQLModel):
    """The body of an action (`propose`, `publish`, …): why, and for `supersede`, by what."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"reason": "Diganti laporan yang telah diaudit BPK."},
                {
                    "reason": "Diganti laporan yang telah diaudit BPK.",
                    "superseded_by": "4d3c2b1a-0f9e-4d8c-a7b6-c5d4e3f2a1b0",
                },
            ]
        }
    }

    reason: str | None = Field(
        default=None,
        max_length=2000,
        description="Required for `return`, `withdraw`, `archive` and `supersede`.",
    )
    superseded_by: uuid.UUID | None = Field(
        default=None, description="`supersede` only: the published entry that replaces it."
    )


class DipEntryManaged(DipEntryBase, PublicModel):
    """An entry in any status, as the officials of its root see it."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **ENTRY_EXAMPLE,
                    "status": "published",
                    "version": 3,
                    "superseded_by": None,
                    "created_by": "7c2e9f10-1d4b-4e8a-b6c3-2a1d0e9f8b7c",
                    "created_at": "2025-02-20T10:00:00+07:00",
                }
            ]
        }
    }

    id: uuid.UUID
    status: DipStatus
    version: int
    published_at: datetime | None
    superseded_by: uuid.UUID | None
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class DipEntryManagedPage(Page[DipEntryManaged]):
    """A page of a root's entries in any status, most recently updated first."""


_POLICY_EXAMPLE: dict[str, JsonValue] = {
    "publish_mode": "verify",
    "dik_public": True,
    "berkala_stale_days": 30,
}


class DipPolicyUpdate(SQLModel):
    """A root's whole policy (PUT replaces it)."""

    model_config = {"json_schema_extra": {"examples": [_POLICY_EXAMPLE]}}

    publish_mode: PublishMode = Field(
        description="`direct`: a unit's PPID Pelaksana publishes; `verify`: the PPID Utama "
        "verifies first."
    )
    dik_public: bool = Field(description="Whether the DIK list is public.")
    berkala_stale_days: int = Field(
        ge=1, le=366, description="Berkala entries older than this are stale."
    )


class DipPolicyPublic(DipPolicyUpdate, PublicModel):
    """A root's policy; `updated_at` null: no policy was set, these are the defaults."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **_POLICY_EXAMPLE,
                    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
                    "updated_at": None,
                }
            ]
        }
    }

    root_id: uuid.UUID
    updated_at: datetime | None


_DECREE_EXAMPLE: dict[str, JsonValue] = {
    "number": "188.45/12/KPTS/2025",
    "decree_date": "2025-01-10",
    "signed_by": "Wali Kota Contoh",
}


class DipDecreeUpdate(SQLModel):
    """The yearly decree setting the DIP (SK penetapan DIP)."""

    model_config = {"json_schema_extra": {"examples": [_DECREE_EXAMPLE]}}

    number: str = Field(min_length=1, max_length=255, description="The decree's number.")
    decree_date: date = Field(description="The date it was signed.")
    signed_by: str | None = Field(default=None, max_length=255, description="Who signed it.")


class DipDecreePublic(DipDecreeUpdate, PublicModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **_DECREE_EXAMPLE,
                    "id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
                    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
                    "year": 2025,
                    "updated_at": "2025-01-10T09:00:00+07:00",
                }
            ]
        }
    }

    id: uuid.UUID
    root_id: uuid.UUID
    year: int
    updated_at: datetime


class DipDecreePage(Page[DipDecreePublic]):
    """A root's DIP decrees, newest year first."""
