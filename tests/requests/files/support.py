"""Helpers of the files tests: the app with a known store, magic bytes, reading rows.

Requests are written with `tests.requests.support.make_request`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from ppid_kit.storage import ObjectStore, make_store
from ppid_kit.tables import AUDIT_TABLE
from requests_service.core.models import RequesterIdentity, RequestFile
from requests_service.settings import RequestsSettings
from sqlmodel import col

from tests.requests.harness import AuthStack, requests_settings, serve_requests
from tests.requests.support import Made
from tests.services.support import database_session, post_file
from tests.support.objects import sniffing_as

MiB = 1024 * 1024
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 9000


def scan(size: int = 30_000, head: bytes = JPEG) -> bytes:
    """An identity scan: a JPEG unless `head` says otherwise."""
    return sniffing_as(head, size)


@dataclass(frozen=True)
class Files:
    """The requests app, and a second handle on its store and database for checks."""

    client: httpx.AsyncClient
    store: ObjectStore
    database_url: str
    settings: RequestsSettings


@contextlib.asynccontextmanager
async def serve_files(
    stack: AuthStack, database_url: str, storage_dir: Path, **overrides: Any
) -> AsyncIterator[Files]:
    """The app with the periodic sweeper off unless asked (tests run it themselves)."""
    values: dict[str, Any] = {"sweep_interval_seconds": 0, **overrides}
    settings = requests_settings(stack, database_url, storage_dir, **values)
    async with serve_requests(settings) as client:
        yield Files(client, make_store(settings), database_url, settings)


async def upload(
    client: httpx.AsyncClient,
    made: Made,
    kind: str,
    content: bytes,
    headers: dict[str, str],
    *,
    filename: str = "berkas.jpg",
) -> httpx.Response:
    """POST a file of `kind` to the request, its type left for the service to sniff."""
    return await post_file(
        client,
        made.files_path,
        content,
        headers,
        filename=filename,
        content_type="application/octet-stream",
        kind=kind,
    )


async def file_rows(database_url: str, made: Made) -> list[RequestFile]:
    stmt = (
        sa.select(RequestFile)
        .where(col(RequestFile.request_id) == made.id)
        .order_by(col(RequestFile.created_at))
    )
    async with database_session(database_url) as session:
        return list((await session.execute(stmt)).scalars())


async def identity_row(database_url: str, made: Made) -> RequesterIdentity:
    async with database_session(database_url) as session:
        found = await session.get(RequesterIdentity, made.id)
    assert found is not None
    return found


async def audit_rows(database_url: str, action: str, object_id: object) -> list[dict[str, Any]]:
    stmt = (
        sa.select(AUDIT_TABLE)
        .where(AUDIT_TABLE.c.action == action)
        .where(AUDIT_TABLE.c.object_id == str(object_id))
        .order_by(AUDIT_TABLE.c.id)
    )
    async with database_session(database_url) as session:
        return [dict(row._mapping) for row in (await session.execute(stmt)).all()]
