"""Documents on S3 (moto's server): the bucket made at startup, downloads by presigned URL."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import httpx
import pytest

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
from tests.support.objects import pdf, read_all
from tests.support.procs import free_port
from tests.support.s3 import s3_overrides_at


async def test_s3_round_trip_redirects_to_a_presigned_url_that_serves_the_bytes(
    s3_docs: Docs, minter: Minter
) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(s3_docs.database_url)
    data = pdf(3 * 1024 * 1024)

    created = await upload(
        s3_docs.client, dip_path(entry_id), data, editor, filename="Laporan 2024.pdf"
    )

    assert created.status_code == 201, created.text
    doc = created.json()
    assert doc["sha256"] == hashlib.sha256(data).hexdigest()
    (row,) = await document_rows(s3_docs.database_url, entry_id)
    assert await all_keys(s3_docs.store) == [row.object_key]
    assert await read_all(s3_docs.store, row.object_key) == data

    redirect = await s3_docs.client.get(doc["url"], headers=editor)
    assert redirect.status_code == 307, redirect.text
    assert redirect.headers["cache-control"] == "no-store"
    location = redirect.headers["location"]
    assert urlsplit(location).query  # signed
    assert urlsplit(location).hostname == "localhost"  # the public endpoint
    async with httpx.AsyncClient() as outside:
        served = await outside.get(location)
    assert served.status_code == 200
    assert served.content == data
    assert "Laporan%202024.pdf" in served.headers.get("content-disposition", "")

    # The draft's document stays hidden from the public on S3 too.
    assert (await s3_docs.client.get(doc["url"])).status_code == 404


@pytest.mark.parametrize("s3_docs", [False], ids=["private"], indirect=True)
async def test_a_private_store_is_streamed_through_the_registry(
    s3_docs: Docs, minter: Minter
) -> None:
    """Without REGISTRY_S3_PUBLIC_ENDPOINT the store's address (in-cluster) is never handed
    out: the download is the bytes themselves, with the local backend's headers."""
    docs = s3_docs
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url)
    data = pdf(2 * 1024 * 1024)
    created = await upload(docs.client, dip_path(entry_id), data, editor, filename="Laporan.pdf")
    assert created.status_code == 201, created.text
    doc = created.json()

    served = await docs.client.get(doc["url"], headers=editor)
    assert served.status_code == 200, served.text
    assert "location" not in served.headers
    assert served.content == data
    assert served.headers["etag"] == f'"{doc["sha256"]}"'
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "Laporan.pdf" in served.headers["content-disposition"]
    cached = await docs.client.get(
        doc["url"], headers={**editor, "If-None-Match": served.headers["etag"]}
    )
    assert cached.status_code == 304


async def test_s3_refusals_and_removals_leave_no_object(s3_docs: Docs, minter: Minter) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(s3_docs.database_url)
    exe = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 9000

    assert (await upload(s3_docs.client, dip_path(entry_id), exe, editor)).status_code == 415
    assert await all_keys(s3_docs.store) == []

    doc = (await upload(s3_docs.client, dip_path(entry_id), pdf(), editor)).json()
    assert len(await all_keys(s3_docs.store)) == 1
    removed = await s3_docs.client.delete(f"{dip_path(entry_id)}/{doc['id']}", headers=editor)
    assert removed.status_code == 204
    assert await all_keys(s3_docs.store) == []


async def test_storage_down_leaves_the_dip_readable_and_uploads_answer_503(
    auth_stack: AuthStack, registry_database: str, minter: Minter
) -> None:
    """Object storage unreachable (nothing listens): the registry still starts and serves the
    DIP; an upload is a clean 503 with Retry-After and stores no row."""
    overrides = s3_overrides_at(f"http://127.0.0.1:{free_port()}", "terbuka-unreachable")
    async with serve_docs(
        auth_stack, registry_database, sweep_interval_seconds=0, **overrides
    ) as running:
        assert (await running.client.get("/v1/dip/entries")).status_code == 200
        entry = await dip_entry(registry_database)
        headers = minter.official(demo_account("ppid.dinkes"))
        refused = await upload(running.client, dip_path(entry), pdf(), headers)
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"]
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert await document_rows(registry_database, entry) == []
