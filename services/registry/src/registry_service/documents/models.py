"""Documents (files) of DIP and DIK entries: metadata here, bytes in the object store.

ARCHITECTURE.md Storage: every object has its SHA-256, sniffed content type and size
recorded here; the object is written first and the row committed after, and a sweeper
removes objects that no row names. A redacted document (DOMAIN.md 6.4) is stored beside
its original and points to it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from ppid_kit.models import CreatedAt, PublicModel, enum_type, values_in
from pydantic import JsonValue
from sqlmodel import Field, SQLModel


class DocumentKind(StrEnum):
    ORIGINAL = "original"
    REDACTED = "redacted"


class Document(CreatedAt, SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = (
        sa.CheckConstraint(values_in("kind", DocumentKind), name="ck_documents_kind"),
        sa.CheckConstraint("(entry_id IS NULL) <> (dik_id IS NULL)", name="ck_documents_one_owner"),
        sa.CheckConstraint(
            "(kind = 'redacted') = (redacts_id IS NOT NULL)", name="ck_documents_redacts"
        ),
        sa.CheckConstraint("size >= 0", name="ck_documents_size"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="ck_documents_sha256"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entry_id: uuid.UUID | None = Field(default=None, foreign_key="dip_entries.id", index=True)
    dik_id: uuid.UUID | None = Field(default=None, foreign_key="dik_entries.id", index=True)
    kind: DocumentKind = Field(default=DocumentKind.ORIGINAL, sa_type=enum_type(DocumentKind))
    redacts_id: uuid.UUID | None = Field(default=None, foreign_key="documents.id")
    title: str | None = Field(default=None, max_length=255)
    filename: str = Field(max_length=255, description="The client's name: metadata only.")
    content_type: str = Field(max_length=127, description="Sniffed from the bytes.")
    size: int = Field(sa_type=sa.BigInteger)
    sha256: str = Field(max_length=64)
    object_key: str = Field(max_length=255, unique=True)
    uploaded_by: uuid.UUID | None = None


DOCUMENT_EXAMPLE: dict[str, JsonValue] = {
    "id": "3f1e9c2a-7b5d-4e8f-a0c1-2d3e4f5a6b7c",
    "kind": "original",
    "redacts_id": None,
    "title": "Laporan Realisasi Anggaran 2024 (PDF)",
    "filename": "LRA-2024.pdf",
    "content_type": "application/pdf",
    "size": 482113,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "created_at": "2025-03-01T09:00:00+07:00",
    "url": "/v1/dip/entries/8f7d2c1a-3b4e-4c5d-9e6f-a1b2c3d4e5f6/documents/"
    "3f1e9c2a-7b5d-4e8f-a0c1-2d3e4f5a6b7c/content",
}


class DocumentPublic(PublicModel):
    """A document as the public DIP lists it (the object key never leaves the service)."""

    model_config = {"json_schema_extra": {"examples": [DOCUMENT_EXAMPLE]}}  # noqa: RUF012 (pydantic config)

    id: uuid.UUID
    kind: DocumentKind
    redacts_id: uuid.UUID | None
    title: str | None
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime
    url: str = Field(description="Path of the download, relative to the API's base URL.")

    @classmethod
    def of(cls, document: Document) -> DocumentPublic:
        owner = (
            f"/v1/dip/entries/{document.entry_id}"
            if document.entry_id is not None
            else f"/v1/dik/entries/{document.dik_id}"
        )
        return cls(
            id=document.id,
            kind=document.kind,
            redacts_id=document.redacts_id,
            title=document.title,
            filename=document.filename,
            content_type=document.content_type,
            size=document.size,
            sha256=document.sha256,
            created_at=document.created_at,
            url=f"{owner}/documents/{document.id}/content",
        )
