"""The public representation of a DIP entry, shared by the API, the feed and the exports.

One function decides what the public sees of an entry (its fields and its documents),
so `GET /v1/dip/entries/{id}`, the changes feed and every export agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from pydantic import JsonValue
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from registry_service.documents.models import Document, DocumentPublic
from registry_service.feed.log import record_change
from registry_service.models import (
    ENTRY_EXAMPLE,
    VERSION_EXAMPLE,
    DipEntry,
    DipEntryPublic,
    DipEntryVersion,
    DipStatus,
    DipVersionPublic,
)


class DipEntryWithDocuments(DipEntryPublic):
    """A published entry with its documents: what the feed carries and exports list."""

    documents: list[DocumentPublic]


class DipEntryDetail(DipEntryWithDocuments):
    """A published entry with its documents and its history (roles only, never who)."""

    model_config = {  # noqa: RUF012 (a pydantic config)
        "json_schema_extra": {
            "examples": [{**ENTRY_EXAMPLE, "documents": [], "versions": [VERSION_EXAMPLE]}]
        }
    }

    versions: list[DipVersionPublic]


async def documents_of(
    session: AsyncSession, entry_ids: Sequence[object]
) -> dict[object, list[Document]]:
    """The documents of several entries at once, oldest first, by entry id."""
    found: dict[object, list[Document]] = {entry_id: [] for entry_id in entry_ids}
    if not entry_ids:
        return found
    stmt = (
        sa.select(Document)
        .where(col(Document.entry_id).in_(entry_ids))
        .order_by(col(Document.created_at), col(Document.id))
    )
    for document in (await session.scalars(stmt)).all():
        found[document.entry_id].append(document)
    return found


def with_documents(entry: DipEntry, documents: Iterable[Document]) -> DipEntryWithDocuments:
    public = DipEntryPublic.model_validate(entry)
    return DipEntryWithDocuments(
        **public.model_dump(), documents=[DocumentPublic.of(d) for d in documents]
    )


async def public_entry(session: AsyncSession, entry: DipEntry) -> DipEntryWithDocuments:
    return with_documents(entry, (await documents_of(session, [entry.id]))[entry.id])


async def record_public_change(session: AsyncSession, entry: DipEntry) -> int:
    """Append the entry's public state to the changes feed: an upsert while it is published,
    a tombstone otherwise. Call it last in the transaction (see `feed.log`)."""
    await session.flush()
    public: dict[str, JsonValue] | None = None
    if entry.status == DipStatus.PUBLISHED:
        await session.refresh(entry)
        public = (await public_entry(session, entry)).model_dump(mode="json")
    return await record_change(session, entry_id=entry.id, root_id=entry.root_id, public=public)


async def public_detail(session: AsyncSession, entry: DipEntry) -> DipEntryDetail:
    """`GET /v1/dip/entries/{id}`: the public entry, its documents and its public history."""
    stmt = (
        sa.select(DipEntryVersion)
        .where(col(DipEntryVersion.entry_id) == entry.id)
        .order_by(col(DipEntryVersion.version))
    )
    versions = [DipVersionPublic.model_validate(v) for v in (await session.scalars(stmt)).all()]
    shown = await public_entry(session, entry)
    return DipEntryDetail(**shown.model_dump(), versions=versions)
