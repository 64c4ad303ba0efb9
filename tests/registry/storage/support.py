"""Helpers of the storage tests: chunk sources, reading back, memory sampling."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import psutil
from ppid_kit.storage import ObjectStore

MiB = 1024 * 1024


async def chunks_of(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def read_all(store: ObjectStore, key: str) -> bytes:
    out = bytearray()
    async for chunk in await store.open_stream(key):
        out += chunk
    return bytes(out)


async def all_keys(store: ObjectStore, prefix: str = "") -> list[str]:
    return [key async for key in store.list_keys(prefix)]


class RssSampler:
    """Peak resident memory of this process above a baseline, sampled by the source."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.baseline = self.process.memory_info().rss
        self.peak = self.baseline

    def sample(self) -> None:
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


async def repeated(
    block: bytes, count: int, sampler: RssSampler, expected: hashlib._Hash
) -> AsyncIterator[bytes]:
    """`count` copies of `block` (one object in memory), hashing what it gives."""
    for i in range(count):
        if i % 8 == 0:
            sampler.sample()
        expected.update(block)
        yield block
    sampler.sample()


async def failing_after(data: bytes, fail_at: int) -> AsyncIterator[bytes]:
    """A source that breaks midway, as a client that disconnects."""
    async for chunk in chunks_of(data, MiB):
        if fail_at <= 0:
            raise ConnectionResetError("client went away")
        fail_at -= len(chunk)
        yield chunk
