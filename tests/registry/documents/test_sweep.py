"""The sweeper: orphan objects past the grace period go; named, young and undated ones stay."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ppid_kit.db import create_engine
from ppid_kit.storage import LocalStore, ObjectStore, generate_dated_key, key_created_at
from registry_service.documents.models import Document
from registry_service.documents.sweep import sweep

from tests.registry.documents.support import Docs, all_keys, dip_entry, serve_docs
from tests.registry.harness import AuthStack
from tests.registry.storage.support import chunks_of
from tests.services.support import database_session
from tests.support.procs import ROOT

GRACE = timedelta(hours=1)
DATA = b"%PDF-1.7\nsweeper test\n"


async def put(store: ObjectStore, key: str) -> str:
    await store.put_stream(key, chunks_of(DATA), content_type="application/pdf", max_bytes=1024)
    return key


@dataclass(frozen=True)
class Layout:
    orphan_old: str
    orphan_young: str
    named_old: str
    undated: str


async def lay_out(store: ObjectStore, database_url: str) -> Layout:
    """One object of each kind the sweeper must tell apart."""
    now = datetime.now(UTC)
    old = now - GRACE - timedelta(minutes=5)
    layout = Layout(
        orphan_old=await put(store, generate_dated_key("documents", old)),
        orphan_young=await put(store, generate_dated_key("documents", now)),
        named_old=await put(store, generate_dated_key("documents", old)),
        undated=await put(store, f"documents/{uuid.uuid4().hex}"),
    )
    entry_id = await dip_entry(database_url)
    async with database_session(database_url) as session:
        session.add(
            Document(
                entry_id=entry_id,
                filename="lama.pdf",
                content_type="application/pdf",
                size=len(DATA),
                sha256=hashlib.sha256(DATA).hexdigest(),
                object_key=layout.named_old,
            )
        )
    return layout


def survivors(layout: Layout) -> list[str]:
    return sorted([layout.orphan_young, layout.named_old, layout.undated])


async def run_sweep(docs: Docs, *, dry_run: bool = False) -> tuple[int, int]:
    engine = create_engine(docs.database_url, pool_size=1)
    try:
        report = await sweep(docs.store, engine, grace=GRACE, dry_run=dry_run)
    finally:
        await engine.dispose()
    return report.deleted, report.named


def test_keys_carry_their_creation_minute() -> None:
    moment = datetime(2026, 3, 1, 9, 30, 42, tzinfo=UTC)
    key = generate_dated_key("documents", moment)
    assert key.startswith("documents/20260301T0930Z/")
    # The latest moment it can have been made: the end of its minute.
    assert key_created_at(key) == datetime(2026, 3, 1, 9, 31, tzinfo=UTC)
    assert key_created_at("documents/abcdef") is None
    assert key_created_at("documents/20261399T9999Z/abc") is None


async def test_sweep_removes_only_old_orphans(docs: Docs) -> None:
    layout = await lay_out(docs.store, docs.database_url)

    assert await run_sweep(docs, dry_run=True) == (1, 1)
    assert len(await all_keys(docs.store)) == 4

    assert await run_sweep(docs) == (1, 1)
    assert sorted(await all_keys(docs.store)) == survivors(layout)
    assert await run_sweep(docs) == (0, 1)


async def test_sweep_on_s3(s3_docs: Docs) -> None:
    layout = await lay_out(s3_docs.store, s3_docs.database_url)
    assert await run_sweep(s3_docs) == (1, 1)
    assert sorted(await all_keys(s3_docs.store)) == survivors(layout)


async def test_sweep_command_line(docs: Docs) -> None:
    layout = await lay_out(docs.store, docs.database_url)
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": docs.database_url,
        "REGISTRY_STORAGE_DIR": str(docs.settings.storage_dir),
        "REGISTRY_SWEEP_GRACE_SECONDS": str(int(GRACE.total_seconds())),
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "registry_service.documents.sweep"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["deleted"] == 1
    assert report["dry_run"] is False
    assert sorted(await all_keys(docs.store)) == survivors(layout)


async def test_the_service_sweeps_periodically(
    auth_stack: AuthStack, registry_database: str, tmp_path: Path
) -> None:
    objects = tmp_path / "objects"
    # Laid out before the service starts: a sweep must not fall between an object and its row.
    layout = await lay_out(LocalStore(objects), registry_database)
    async with serve_docs(
        auth_stack, registry_database, storage_dir=objects, sweep_interval_seconds=0.2
    ) as docs:
        for _ in range(100):
            if layout.orphan_old not in await all_keys(docs.store):
                break
            await asyncio.sleep(0.1)
        assert sorted(await all_keys(docs.store)) == survivors(layout)
