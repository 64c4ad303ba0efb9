"""Object stores in tests (any service's): writing and reading objects, listing keys, and
the services' sweepers run as their command line or waited for in the background."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from ppid_kit.storage import ObjectStore

from tests.support.procs import run_module

PDF_HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def sniffing_as(head: bytes, size: int) -> bytes:
    """`size` bytes that sniff as `head`'s type (what follows the magic does not matter)."""
    return head + os.urandom(max(0, size - len(head)))


def pdf(size: int = 20_000) -> bytes:
    return sniffing_as(PDF_HEAD, size)


async def chunks_of(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def put_object(store: ObjectStore, key: str, data: bytes) -> str:
    """Store `data` (a PDF as far as the store is told) at `key`; returns the key."""
    await store.put_stream(
        key, chunks_of(data), content_type="application/pdf", max_bytes=len(data)
    )
    return key


async def read_all(store: ObjectStore, key: str) -> bytes:
    out = bytearray()
    async for chunk in await store.open_stream(key):
        out += chunk
    return bytes(out)


async def all_keys(store: ObjectStore, prefix: str = "") -> list[str]:
    """Every key under `prefix`, sorted."""
    return sorted([key async for key in store.list_keys(prefix)])


async def sweep_command(
    module: str, prefix: str, database_url: str, storage_dir: Path, grace: timedelta
) -> dict[str, Any]:
    """Run a service's sweeper once as its command line, `python -m module` configured by
    `prefix` variables (`REQUESTS_`, `REGISTRY_`); the report it prints last."""
    env = {
        f"{prefix}DATABASE_URL": database_url,
        f"{prefix}STORAGE_DIR": str(storage_dir),
        f"{prefix}SWEEP_GRACE_SECONDS": str(int(grace.total_seconds())),
    }
    done = await asyncio.to_thread(run_module, module, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


async def wait_until_gone(store: ObjectStore, key: str, within: float = 10.0) -> None:
    """Give a service's periodic sweeper up to `within` seconds to remove `key` (the caller
    then checks what is left)."""
    for _ in range(int(within / 0.1)):
        if key not in await all_keys(store):
            return
        await asyncio.sleep(0.1)
