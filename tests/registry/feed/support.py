"""Writing the public DIP the way the entries and documents routes do, for the feed tests.

Rows are written directly with a session: the entry (or document) first, then
`public.record_public_change` as the last statement of the same transaction.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from registry_service.documents.models import Document
from registry_service.models import DipCategory, DipEntry, DipStatus
from registry_service.public import public_entry, record_public_change
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.registry.harness import DINKES_ID, ROOT_ID

Json = dict[str, Any]
OTHER_ROOT = uuid.UUID("7a1e0000-0000-4000-8000-00000000a002")


def new_entry(
    number: str,
    *,
    root_id: uuid.UUID = ROOT_ID,
    category: DipCategory = DipCategory.BERKALA,
    published: bool = True,
    **fields: Any,
) -> DipEntry:
    values: Json = {
        "title": f"Informasi {number}",
        "summary": f"Ringkasan informasi {number}.",
        "year": 2025,
        "unit_id": DINKES_ID,
        **fields,
    }
    return DipEntry(
        root_id=root_id,
        number=number,
        category=category,
        status=DipStatus.PUBLISHED if published else DipStatus.DRAFT,
        published_at=datetime.now(UTC) if published else None,
        **values,
    )


def new_document(entry_id: uuid.UUID, name: str, content_type: str = "application/pdf") -> Document:
    data = name.encode()
    return Document(
        entry_id=entry_id,
        filename=name,
        title=f"Dokumen {name}",
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        object_key=f"test/{uuid.uuid4()}",
    )


async def add_published(session: AsyncSession, entry: DipEntry, *documents: str) -> DipEntry:
    """Insert an entry (and documents) and record its public state, in the caller's transaction."""
    session.add(entry)
    await session.flush()
    for name in documents:
        session.add(new_document(entry.id, name))
    await record_public_change(session, entry)
    return entry


async def withdraw(session: AsyncSession, entry_id: uuid.UUID) -> None:
    entry = await session.get(DipEntry, entry_id, with_for_update=True)
    assert entry is not None
    entry.status = DipStatus.WITHDRAWN
    await record_public_change(session, entry)


async def current_public_dip(engine: AsyncEngine) -> dict[str, Json]:
    """The published entries as the public sees them now, by id."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        stmt = sa.select(DipEntry).where(col(DipEntry.status) == DipStatus.PUBLISHED)
        entries = list(await session.scalars(stmt))
        return {
            str(entry.id): (await public_entry(session, entry)).model_dump(mode="json")
            for entry in entries
        }


async def last_seq(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        found = await conn.execute(sa.text("SELECT last_seq FROM dip_feed_counter WHERE id = 1"))
        return int(found.scalar_one())


TODAY = date(2025, 2, 14)
