"""Reading the whole public DIP in batches, and streaming it out with flat memory.

The exports read published entries in keyset batches of `BATCH` rows over the unique
index `(root_id, number)`, inside one `REPEATABLE READ, READ ONLY` transaction: the
export is one consistent snapshot however long the download takes, and memory holds
one batch (its entries and their documents) at a time, whatever the DIP's size. The
identity map is emptied after each batch so the session does not keep old rows.

Validators: every change to what the public DIP shows appends to `dip_changes` (see
`public.record_public_change`), so the feed counter's committed `last_seq` names the
state of the public DIP. The ETag of an export is derived from it (plus the format, the
filter and the base URL its links use); it is read before the export's own snapshot,
so the body is never older than its ETag says and a 304 is never stale.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from typing import Any

import anyio
import sqlalchemy as sa
from fastapi import Request, Response
from ppid_kit.etag import etag_for, not_modified
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col
from starlette.responses import StreamingResponse
from starlette.types import Send

from registry_service.feed.models import FeedCounter
from registry_service.models import DipCategory, DipEntry, DipStatus
from registry_service.public import DipEntryWithDocuments, documents_of, with_documents

BATCH = 200
# Bump when an export's format changes, so caches drop the old bodies.
FORMAT_VERSION = "1"
EXPORT_CACHE_CONTROL = "public, max-age=60"


async def last_seq(session: AsyncSession) -> int:
    """The sequence number of the last committed change of the public DIP (0 if none)."""
    stmt = sa.select(col(FeedCounter.last_seq)).where(col(FeedCounter.id) == 1)
    return int((await session.execute(stmt)).scalar_one_or_none() or 0)


def export_etag(name: str, seq: int, *, root: uuid.UUID | None, base_url: str) -> str:
    return etag_for(f"{name}\n{FORMAT_VERSION}\n{seq}\n{root or ''}\n{base_url}")


def _published(root: uuid.UUID | None) -> sa.Select[DipEntry]:
    stmt = sa.select(DipEntry).where(col(DipEntry.status) == DipStatus.PUBLISHED)
    if root is not None:
        stmt = stmt.where(col(DipEntry.root_id) == root)
    return stmt


async def _snapshot(session: AsyncSession) -> None:
    await session.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))


async def published_batches(
    engine: AsyncEngine, *, root: uuid.UUID | None, batch: int = BATCH
) -> AsyncGenerator[list[DipEntryWithDocuments], None]:
    """Every published entry (with its documents), by root and number, `batch` at a time."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        await _snapshot(session)
        after: tuple[uuid.UUID, str] | None = None
        while True:
            stmt = _published(root)
            if after is not None:
                position = sa.tuple_(col(DipEntry.root_id), col(DipEntry.number))
                stmt = stmt.where(position > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
            stmt = stmt.order_by(col(DipEntry.root_id), col(DipEntry.number)).limit(batch)
            entries = list(await session.scalars(stmt))
            if not entries:
                return
            documents = await documents_of(session, [entry.id for entry in entries])
            public = [with_documents(entry, documents[entry.id]) for entry in entries]
            after = (entries[-1].root_id, entries[-1].number)
            session.expunge_all()
            del entries, documents
            yield public
            if len(public) < batch:
                return


async def newest_published(
    engine: AsyncEngine, *, root: uuid.UUID | None, limit: int
) -> list[DipEntryWithDocuments]:
    """The `limit` newest entries of the feed: by publication, serta-merta ones by last update.

    A serta-merta entry (information that must be announced at once, UU 14/2008 Pasal 10)
    comes back to the top whenever it is updated; the others when first published.
    """
    feed_time = sa.case(
        (col(DipEntry.category) == DipCategory.SERTA_MERTA, col(DipEntry.updated_at)),
        else_=col(DipEntry.published_at),
    )
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        await _snapshot(session)
        stmt = _published(root).order_by(feed_time.desc(), col(DipEntry.id).desc()).limit(limit)
        entries = list(await session.scalars(stmt))
        documents = await documents_of(session, [entry.id for entry in entries])
        return [with_documents(entry, documents[entry.id]) for entry in entries]


class ExportResponse(StreamingResponse):
    """A `StreamingResponse` that always closes its body iterator, also when the client
    goes away mid-download, so the export's database connection returns to the pool at once
    (not whenever the abandoned generator happens to be collected)."""

    async def stream_response(self, send: Send) -> None:
        body = self.body_iterator
        try:
            await super().stream_response(send)
        finally:
            close = getattr(body, "aclose", None)
            if close is not None:
                with anyio.CancelScope(shield=True):
                    await close()


def export_response(
    request: Request,
    body: Callable[[], AsyncIterator[bytes]],
    *,
    etag: str,
    media_type: str,
    filename: str | None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The streamed export, or a 304 when the client's `If-None-Match` names `etag`.

    `body` makes the generator of the bytes; it runs only when the export is sent.
    """
    all_headers: dict[str, Any] = {
        **(headers or {}),
        "ETag": etag,
        "Cache-Control": EXPORT_CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
    }
    if filename is not None:
        all_headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    cached = not_modified(request, etag)
    if cached is not None:
        cached.headers.update({k: v for k, v in all_headers.items() if k != "Content-Disposition"})
        return cached
    return ExportResponse(body(), media_type=media_type, headers=all_headers)
