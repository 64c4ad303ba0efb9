"""Helpers of the storage tests: chunk sources, reading back, memory sampling."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import psutil

from tests.support.objects import chunks_of

MiB = 1024 * 1024


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
