"""The changes feed and the exports of the public DIP (API.md "The DIP feed for aggregators").

Everything here is public and anonymous. The gateway gives the exports its long read
timeout (`gateway.routes`: `/v1/dip/export*`, `/v1/dip/catalog*`, `/v1/dip/feed*`).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response
from ppid_kit import paging
from ppid_kit.cursor import next_link
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from registry_service.feed import formats, reader
from registry_service.feed.changes import (
    FULL_PAGE_CACHE,
    TAIL_PAGE_CACHE,
    DipChangePage,
    change_page,
)
from registry_service.feed.models import DipChange
from registry_service.feed.urls import public_base_url

router = APIRouter(prefix="/v1/dip", tags=["dip"])

RootQuery = Annotated[
    uuid.UUID | None, Query(description="Only this badan publik's (root unit's) entries.")
]

_VALIDATORS: dict[str, Any] = {
    "ETag": {
        "description": "Changes whenever the public DIP changes.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"description": "`public, max-age=60`.", "schema": {"type": "string"}},
}
_DOWNLOAD: dict[str, Any] = {
    **_VALIDATORS,
    "Content-Disposition": {
        "description": "`attachment; filename=…`.",
        "schema": {"type": "string"},
    },
}


_TEXT_BODY: dict[str, Any] = {"type": "string"}
# JSON-LD is JSON: a client (and a schema check) parses it into one object.
_JSONLD_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["@context", "@id", "@type"],
    "properties": {"@type": {"const": "dcat:Catalog"}, "dcat:dataset": {"type": "array"}},
}


def _export_responses(
    media_type: str, description: str, *, download: bool, body: dict[str, Any] = _TEXT_BODY
) -> dict[int | str, Any]:
    return {
        200: {
            "description": description,
            "content": {media_type.split(";")[0]: {"schema": body}},
            "headers": _DOWNLOAD if download else _VALIDATORS,
        },
        304: {"description": "Not modified: the `If-None-Match` ETag still matches."},
    }


def _engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


def _self_url(request: Request, base_url: str) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{base_url}{request.url.path}{query}"


@router.get(
    "/changes",
    response_model=DipChangePage,
    summary="Follow the changes of the public DIP",
    description=(
        "Changes in commit order, each with the entry's public representation (`upsert`) "
        "or a `tombstone` when it left the public DIP. Start without a cursor and follow "
        "`next_cursor` forever: no change is missed or repeated, also while officials write "
        "concurrently. `next_cursor` is always set; after an empty page it is the same "
        "position, so poll again with it later. Full pages are cached for an hour, the "
        "tail page for 5 seconds."
    ),
    responses=paging.LIST_RESPONSES,
)
async def list_dip_changes(
    request: Request, session: SessionDep, page: paging.PagingDep, root: RootQuery = None
) -> Response:
    body, full = await change_page(session, page, root)
    return json_with_etag(
        request,
        body,
        cache_control=FULL_PAGE_CACHE if full else TAIL_PAGE_CACHE,
        headers={"Link": next_link(request, body["next_cursor"])},
    )


@router.get(
    "/export.csv",
    summary="Download the public DIP as CSV",
    description=(
        "Every published entry (optionally one root's), by root and number: the seven "
        "mandatory DIP columns of Perki 1/2010 first (Indonesian headers), then the other "
        "fields. RFC 4180, UTF-8 with a byte order mark (for Excel). Streamed."
    ),
    response_class=Response,
    responses=_export_responses(formats.CSV_MEDIA_TYPE, "The DIP as CSV.", download=True),
)
async def export_dip_csv(request: Request, session: SessionDep, root: RootQuery = None) -> Response:
    base_url = public_base_url(request)
    etag = reader.export_etag("csv", await reader.last_seq(session), root=root, base_url=base_url)
    engine = _engine(request)
    return reader.export_response(
        request,
        lambda: formats.csv_chunks(reader.published_batches(engine, root=root), base_url=base_url),
        etag=etag,
        media_type=formats.CSV_MEDIA_TYPE,
        filename="dip.csv",
    )


@router.get(
    "/export.jsonl",
    summary="Download the public DIP as JSON lines",
    description=(
        "Every published entry (optionally one root's) with its documents, one JSON object "
        "per line as `GET /v1/dip/entries/{id}` shows it (document URLs relative to the API). "
        "Streamed."
    ),
    response_class=Response,
    responses=_export_responses(formats.JSONL_MEDIA_TYPE, "The DIP as JSON lines.", download=True),
)
async def export_dip_jsonl(
    request: Request, session: SessionDep, root: RootQuery = None
) -> Response:
    # Relative document URLs: the body does not depend on the host it is fetched from.
    etag = reader.export_etag("jsonl", await reader.last_seq(session), root=root, base_url="")
    engine = _engine(request)
    return reader.export_response(
        request,
        lambda: formats.jsonl_chunks(reader.published_batches(engine, root=root)),
        etag=etag,
        media_type=formats.JSONL_MEDIA_TYPE,
        filename="dip.jsonl",
    )


@router.get(
    "/catalog.jsonld",
    summary="The public DIP as a DCAT-AP catalog (JSON-LD)",
    description=(
        "A `dcat:Catalog` whose datasets are the published entries, each with a "
        "`dcat:Distribution` per document (absolute URLs, media type, size, SHA-256): what "
        "CKAN's DCAT harvester (ckanext-dcat, RDF harvester with JSON-LD) and Satu Data "
        "Indonesia read. Streamed."
    ),
    response_class=Response,
    responses=_export_responses(
        formats.JSONLD_MEDIA_TYPE, "The DCAT catalog.", download=False, body=_JSONLD_BODY
    ),
)
async def dip_catalog(request: Request, session: SessionDep, root: RootQuery = None) -> Response:
    base_url = public_base_url(request)
    etag = reader.export_etag("dcat", await reader.last_seq(session), root=root, base_url=base_url)
    engine, self_url = _engine(request), _self_url(request, base_url)
    return reader.export_response(
        request,
        lambda: formats.dcat_chunks(
            reader.published_batches(engine, root=root),
            base_url=base_url,
            self_url=self_url,
            root=root,
        ),
        etag=etag,
        media_type=formats.JSONLD_MEDIA_TYPE,
        filename=None,
    )


@router.get(
    "/feed.atom",
    summary="Atom feed of new and serta-merta DIP entries",
    description=(
        f"The {formats.FEED_SIZE} most recent entries, newest first: entries by their "
        "publication, serta-merta entries (UU 14/2008 Pasal 10) also whenever they are "
        "updated. RFC 4287."
    ),
    response_class=Response,
    responses=_export_responses(formats.ATOM_MEDIA_TYPE, "The Atom feed.", download=False),
)
async def dip_atom_feed(request: Request, session: SessionDep, root: RootQuery = None) -> Response:
    base_url = public_base_url(request)
    seq = await reader.last_seq(session)
    etag = reader.export_etag("atom", seq, root=root, base_url=base_url)
    last_change = await _last_change_time(session)
    self_url = _self_url(request, base_url)
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url}/v1/dip/feed.atom?root={root or ''}")
    engine = _engine(request)

    async def body() -> AsyncIterator[bytes]:
        entries = await reader.newest_published(engine, root=root, limit=formats.FEED_SIZE)
        async for chunk in formats.atom_chunks(
            entries,
            base_url=base_url,
            self_url=self_url,
            feed_id=feed_id,
            fallback_updated=last_change,
        ):
            yield chunk

    return reader.export_response(
        request, body, etag=etag, media_type=formats.ATOM_MEDIA_TYPE, filename=None
    )


async def _last_change_time(session: AsyncSession) -> datetime | None:
    stmt = sa.select(col(DipChange.committed_at)).order_by(col(DipChange.seq).desc()).limit(1)
    found: datetime | None = (await session.execute(stmt)).scalar_one_or_none()
    return found
