"""The exports stream: the app's memory does not grow with the DIP's size.

The app is driven over raw ASGI with a `send` that only counts bytes (httpx's ASGI
transport would buffer the whole body), and `tracemalloc` measures the peak of what the
process allocated while one export ran: with 4x the entries it stays about the same,
and far below the size of the export itself. No timing is asserted.
"""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from registry_service.documents.models import Document
from registry_service.main import create_app
from registry_service.models import DipEntry
from starlette.types import ASGIApp, Message

from tests.registry.harness import DINKES_ID, ROOT_ID, AuthStack, registry_settings
from tests.services.support import engine_for
from tests.support.lifespan import in_lifespan

SMALL, LARGE = 2000, 8000
PATHS = (
    "/v1/dip/export.csv",
    "/v1/dip/export.jsonl",
    "/v1/dip/catalog.jsonld",
    "/v1/dip/feed.atom",
)
MiB = 1024 * 1024


@pytest.fixture(scope="module")
async def app(
    auth_stack: AuthStack, registry_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[ASGIApp]:
    settings = registry_settings(
        auth_stack, registry_database, storage_dir=tmp_path_factory.mktemp("objects")
    )
    async with in_lifespan(create_app(settings)) as running:
        yield running


async def seed(database_url: str, start: int, stop: int) -> None:
    """Published entries `start..stop` (every fifth with two documents), in bulk."""
    now = datetime.now(UTC)
    entries: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    for n in range(start, stop):
        entry_id = uuid.uuid4()
        entries.append(
            {
                "id": entry_id,
                "root_id": ROOT_ID,
                "unit_id": DINKES_ID,
                "number": f"M-{n:06d}",
                "title": f"Laporan kegiatan nomor {n}",
                "summary": f"Ringkasan {n}: " + "realisasi anggaran dan kegiatan. " * 25,
                "category": "berkala" if n % 7 else "serta_merta",
                "year": 2024,
                "status": "published",
                "published_at": now,
                "tags": ["laporan", f"tag-{n % 50}"],
                "available_formats": ["softcopy"],
                "media": ["website"],
                "links": [],
                "version": 1,
            }
        )
        if n % 5 == 0:
            documents.extend(
                {
                    "id": uuid.uuid4(),
                    "entry_id": entry_id,
                    "kind": "original",
                    "filename": f"dokumen-{n}-{k}.pdf",
                    "content_type": "application/pdf",
                    "size": 1000 + n,
                    "sha256": f"{n:064x}",
                    "object_key": f"memory/{n}/{k}",
                }
                for k in range(2)
            )
    async with engine_for(database_url) as engine, engine.begin() as conn:
        for i in range(0, len(entries), 1000):
            await conn.execute(sa.insert(DipEntry.__table__), entries[i : i + 1000])  # type: ignore[attr-defined]
        if documents:
            await conn.execute(sa.insert(Document.__table__), documents)  # type: ignore[attr-defined]
        await conn.execute(sa.text("UPDATE dip_feed_counter SET last_seq = last_seq + 1"))


async def stream(app: ASGIApp, path: str) -> int:
    """GET `path` over raw ASGI; returns the body's size, keeping none of it."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent = False
    size = 0
    status = 0

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        nonlocal size, status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            size += len(message.get("body", b""))

    await app(scope, receive, send)
    assert status == 200, path
    return size


async def measure(app: ASGIApp, path: str) -> tuple[int, int]:
    """(peak bytes allocated above the start while streaming, bytes streamed)."""
    gc.collect()
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        size = await stream(app, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - start, size


async def test_exports_stream_with_flat_memory(app: ASGIApp, registry_database: str) -> None:
    await seed(registry_database, 0, SMALL)
    for path in PATHS:  # warm up: first-use caches (compiled SQL, models) are not growth
        await stream(app, path)
    small = {path: await measure(app, path) for path in PATHS}
    await seed(registry_database, SMALL, LARGE)
    large = {path: await measure(app, path) for path in PATHS}

    report = {
        path: f"peak {small[path][0] / MiB:.1f} -> {large[path][0] / MiB:.1f} MiB, "
        f"body {small[path][1] / MiB:.1f} -> {large[path][1] / MiB:.1f} MiB"
        for path in PATHS
    }
    print(report)
    for path in PATHS:
        (small_peak, small_size), (large_peak, large_size) = small[path], large[path]
        assert large_peak < small_peak * 1.5 + 2 * MiB, report[path]
        if path.endswith(".atom"):
            assert large_size < 2 * small_size  # bounded: the newest entries only
        else:
            assert large_size > 3.5 * small_size  # the whole DIP went out …
            assert large_peak < large_size / 2, report[path]  # … but never all in memory
