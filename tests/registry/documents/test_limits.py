"""Size limits (413, nothing stored) and flat memory while a large upload streams."""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from ppid_kit.storage import S3Store
from registry_service.documents.models import Document

from tests.registry.documents.support import (
    Docs,
    all_keys,
    dip_entry,
    dip_path,
    document_rows,
    serve_docs,
    upload,
)
from tests.registry.harness import AuthStack, Minter, demo_account
from tests.registry.storage.support import MiB, RssSampler
from tests.support.objects import pdf

BOUNDARY = "terbuka-large-upload"
LARGE = 200 * MiB
# Measured well under these; the file is 200 MiB. On S3, minio holds a few parts in flight.
MAX_GROWTH = 48 * MiB
MAX_GROWTH_S3 = 96 * MiB


def _opening(filename: str) -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\nBerkas besar\r\n'
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()


CLOSING = f"\r\n--{BOUNDARY}--\r\n".encode()


async def streamed_pdf(
    total: int, sampler: RssSampler, expected: hashlib._Hash
) -> AsyncIterator[bytes]:
    """A multipart body carrying a `total`-byte PDF, made of one reused block."""
    yield _opening("besar.pdf")
    head = pdf(MiB)
    block = os.urandom(MiB)
    sent = 0
    for i in range(total // MiB):
        chunk = head if i == 0 else block
        expected.update(chunk)
        sent += len(chunk)
        if i % 8 == 0:
            sampler.sample()
        yield chunk
    assert sent == total
    sampler.sample()
    yield CLOSING


def multipart_headers(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


async def upload_large(docs: Docs, minter: Minter, total: int, max_growth: int) -> Document:
    """Stream a `total`-byte PDF through the upload route; memory must stay flat."""
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url)
    expected = hashlib.sha256()
    gc.collect()
    sampler = RssSampler()

    created = await docs.client.post(
        dip_path(entry_id),
        content=streamed_pdf(total, sampler, expected),
        headers=multipart_headers(editor),
        timeout=300,
    )

    assert created.status_code == 201, created.text
    assert created.json()["size"] == total
    assert created.json()["sha256"] == expected.hexdigest()
    assert created.json()["title"] == "Berkas besar"
    assert sampler.growth < max_growth, f"RSS grew by {sampler.growth / MiB:.0f} MiB"
    (row,) = await document_rows(docs.database_url, entry_id)
    return row


async def test_a_large_upload_streams_with_flat_memory(docs: Docs, minter: Minter) -> None:
    row = await upload_large(docs, minter, LARGE, MAX_GROWTH)
    assert (docs.settings.storage_dir / row.object_key).stat().st_size == LARGE


async def test_a_large_upload_to_s3_streams_with_flat_memory(s3_docs: Docs, minter: Minter) -> None:
    """The same through minio to the real S3 endpoint (moto's server)."""
    row = await upload_large(s3_docs, minter, LARGE, MAX_GROWTH_S3)
    store = s3_docs.store
    assert isinstance(store, S3Store)
    assert store.client.stat_object(store.bucket, row.object_key).size == LARGE


async def test_over_the_limit_is_413_and_nothing_is_stored(
    auth_stack: AuthStack, registry_database: str, tmp_path: Path, minter: Minter
) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    limit = 256 * 1024
    async with serve_docs(
        auth_stack,
        registry_database,
        storage_dir=tmp_path / "objects",
        max_upload_bytes=limit,
        sweep_interval_seconds=0,
    ) as docs:
        entry_id = await dip_entry(docs.database_url)
        # Content-Length says too much: refused before a byte is read.
        declared = await upload(docs.client, dip_path(entry_id), pdf(limit + 128 * 1024), editor)
        assert declared.status_code == 413, declared.text
        assert declared.json()["type"].endswith("/payload-too-large")
        assert declared.json()["max_bytes"] == limit
        # No length given (chunked): refused while streaming, the partial object discarded.
        sampler = RssSampler()
        chunked = await docs.client.post(
            dip_path(entry_id),
            content=streamed_pdf(2 * MiB, sampler, hashlib.sha256()),
            headers=multipart_headers(editor),
        )
        assert chunked.status_code == 413, chunked.text
        # Just over the limit, within what Content-Length allows for the framing.
        barely = await upload(docs.client, dip_path(entry_id), pdf(limit + 1), editor)
        assert barely.status_code == 413, barely.text
        exactly = await upload(docs.client, dip_path(entry_id), pdf(limit), editor)
        assert exactly.status_code == 201, exactly.text

        (row,) = await document_rows(docs.database_url, entry_id)
        assert await all_keys(docs.store) == [row.object_key]
        assert not any((docs.settings.storage_dir / ".tmp").glob("*"))
