"""Helpers of the documents tests: the registry with a known store, rows seeded directly."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import sqlalchemy as sa
from ppid_kit.storage import ObjectStore, make_store
from registry_service.dik.models import Conclusion, DikEntry, ExemptionGround
from registry_service.documents.models import Document
from registry_service.feed.models import DipChange
from registry_service.models import DipCategory, DipEntry, DipStatus
from registry_service.settings import RegistrySettings
from sqlmodel import col

from tests.registry.harness import DINKES_ID, ROOT_ID, AuthStack, registry_settings, serve_registry
from tests.services.support import database_session, post_file
from tests.support.objects import all_keys

__all__ = ["Docs", "all_keys", "serve_docs"]


@dataclass(frozen=True)
class Docs:
    """The registry app, and a second handle on its storage and database for checks."""

    client: httpx.AsyncClient
    store: ObjectStore
    database_url: str
    settings: RegistrySettings


@contextlib.asynccontextmanager
async def serve_docs(auth: AuthStack, database_url: str, **overrides: Any) -> AsyncIterator[Docs]:
    settings = registry_settings(auth, database_url, **overrides)
    async with serve_registry(settings) as client:
        yield Docs(client, make_store(settings), database_url, settings)


async def dip_entry(
    database_url: str, *, unit_id: uuid.UUID = DINKES_ID, status: DipStatus = DipStatus.DRAFT
) -> uuid.UUID:
    entry = DipEntry(
        root_id=ROOT_ID,
        unit_id=unit_id,
        number=f"DIP-{uuid.uuid4().hex[:12]}",
        title="Laporan Realisasi Anggaran 2024",
        summary="Realisasi pendapatan dan belanja tahun anggaran 2024.",
        category=DipCategory.BERKALA,
        year=2024,
        status=status,
        published_at=datetime.now(UTC) if status == DipStatus.PUBLISHED else None,
    )
    async with database_session(database_url) as session:
        session.add(entry)
    return entry.id


async def dik_entry(database_url: str, *, unit_id: uuid.UUID = DINKES_ID) -> uuid.UUID:
    entry = DikEntry(
        root_id=ROOT_ID,
        unit_id=unit_id,
        number=f"DIK-{uuid.uuid4().hex[:12]}",
        title="Rekam medis pasien",
        summary="Rekam medis pasien puskesmas.",
        category=DipCategory.SETIAP_SAAT,
        year=2024,
        public_summary="Rekam medis pasien dikecualikan.",
        withheld_information="Isi rekam medis.",
        legal_basis_letter=ExemptionGround.H,
        harm_analysis="Mengungkap rahasia pribadi.",
        public_interest_analysis="Tidak ada kepentingan publik yang lebih besar.",
        balancing="Kerugian lebih besar.",
        conclusion=Conclusion.EXEMPT,
    )
    async with database_session(database_url) as session:
        session.add(entry)
    return entry.id


async def set_status(database_url: str, entry_id: uuid.UUID, status: DipStatus) -> None:
    async with database_session(database_url) as session:
        entry = await session.get(DipEntry, entry_id)
        assert entry is not None
        entry.status = status
        if status == DipStatus.PUBLISHED:
            entry.published_at = datetime.now(UTC)


async def document_rows(database_url: str, owner_id: uuid.UUID) -> list[Document]:
    """The documents of a DIP or DIK entry (the database is shared by a module's tests)."""
    stmt = sa.select(Document).where(
        sa.or_(col(Document.entry_id) == owner_id, col(Document.dik_id) == owner_id)
    )
    async with database_session(database_url) as session:
        return list((await session.execute(stmt)).scalars().all())


async def changes_of(database_url: str, entry_id: uuid.UUID) -> list[DipChange]:
    stmt = (
        sa.select(DipChange).where(col(DipChange.entry_id) == entry_id).order_by(col(DipChange.seq))
    )
    async with database_session(database_url) as session:
        return list((await session.execute(stmt)).scalars().all())


async def upload(
    client: httpx.AsyncClient,
    path: str,
    content: bytes,
    headers: dict[str, str],
    *,
    filename: str = "laporan.pdf",
    **fields: str,
) -> httpx.Response:
    """POST a PDF with the form `fields`."""
    return await post_file(
        client, path, content, headers, filename=filename, content_type="application/pdf", **fields
    )


def dip_path(entry_id: uuid.UUID) -> str:
    return f"/v1/dip/entries/{entry_id}/documents"


def dik_path(dik_id: uuid.UUID) -> str:
    return f"/v1/dik/entries/{dik_id}/documents"
