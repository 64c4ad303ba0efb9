"""Large uploads with flat memory; refused or broken uploads leave nothing behind."""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from ppid_kit.storage import (
    LocalStore,
    ObjectStore,
    ObjectTooLargeError,
    S3Store,
    generate_key,
)

from tests.registry.storage.support import MiB, RssSampler, failing_after, repeated
from tests.support.objects import all_keys, chunks_of

# 500 MB each way: about 3 s locally, 15 s through moto (60 multipart parts of 8 MiB).
TOTAL_BYTES = {LocalStore: 500 * 1000 * 1000, S3Store: 500 * 1000 * 1000}
# Peak growth allowed (measured: ~0 locally, ~40 MiB on S3, about three parts in flight).
MAX_GROWTH = {LocalStore: 32 * MiB, S3Store: 96 * MiB}


async def assert_nothing_left(store: ObjectStore) -> None:
    assert await all_keys(store) == []
    if isinstance(store, LocalStore):
        assert list((store.root / ".tmp").glob("*")) == []
    elif isinstance(store, S3Store):
        # moto does not check signatures, so a plain GET lists the open multipart uploads.
        base = store.client._base_url  # the endpoint the client talks to
        url = f"http://{base.host}/{store.bucket}?uploads"
        async with httpx.AsyncClient() as client:
            listing = await client.get(url)
        assert listing.status_code == 200
        assert "<UploadId>" not in listing.text


async def test_large_upload_streams_with_flat_memory(store: ObjectStore) -> None:
    total = TOTAL_BYTES[type(store)]
    block = os.urandom(MiB)
    count, tail = divmod(total, MiB)
    expected = hashlib.sha256()
    gc.collect()
    sampler = RssSampler()

    async def source() -> AsyncIterator[bytes]:
        async for chunk in repeated(block, count, sampler, expected):
            yield chunk
        expected.update(block[:tail])
        yield block[:tail]

    started = time.monotonic()
    key = generate_key("big")
    stored = await store.put_stream(
        key,
        source(),
        content_type="application/zip",
        max_bytes=total,
    )
    elapsed = time.monotonic() - started
    assert stored.size == total
    assert stored.sha256 == expected.hexdigest()
    assert sampler.growth < MAX_GROWTH[type(store)], (sampler.growth, elapsed)

    # Reading it back is flat too, and gives the same bytes.
    again = hashlib.sha256()
    size = 0
    async for chunk in await store.open_stream(key):
        again.update(chunk)
        size += len(chunk)
        sampler.sample()
    assert (size, again.hexdigest()) == (total, stored.sha256)
    assert sampler.growth < MAX_GROWTH[type(store)]


@pytest.mark.parametrize(("limit", "sent"), [(10, 11), (20 * MiB, 30 * MiB)])
async def test_upload_past_the_limit_is_refused_and_leaves_nothing(
    store: ObjectStore, limit: int, sent: int
) -> None:
    key = generate_key("big")
    with pytest.raises(ObjectTooLargeError) as refused:
        await store.put_stream(
            key, chunks_of(b"a" * sent, MiB), content_type="text/plain", max_bytes=limit
        )
    assert refused.value.max_bytes == limit
    assert not await store.exists(key)
    await assert_nothing_left(store)


async def test_exactly_the_limit_is_accepted(store: ObjectStore) -> None:
    key = generate_key("edge")
    stored = await store.put_stream(
        key, chunks_of(b"b" * (6 * MiB), MiB), content_type="text/plain", max_bytes=6 * MiB
    )
    assert stored.size == 6 * MiB
    assert await store.exists(key)


@pytest.mark.parametrize("fail_at", [2 * MiB, 20 * MiB])
async def test_broken_source_leaves_nothing(store: ObjectStore, fail_at: int) -> None:
    key = generate_key("broken")
    data = os.urandom(32 * MiB)
    with pytest.raises(ConnectionResetError):
        await store.put_stream(
            key, failing_after(data, fail_at), content_type="text/plain", max_bytes=64 * MiB
        )
    assert not await store.exists(key)
    await assert_nothing_left(store)


async def test_replacing_with_a_refused_upload_keeps_the_old_object(store: ObjectStore) -> None:
    key = generate_key("keep")
    await store.put_stream(key, chunks_of(b"old"), content_type="text/plain", max_bytes=9)
    with pytest.raises(ObjectTooLargeError):
        await store.put_stream(key, chunks_of(b"x" * 10), content_type="text/plain", max_bytes=9)
    assert [c async for c in await store.open_stream(key)] == [b"old"]
