"""The sweeper: orphan objects past the grace period go; named, young and undated ones stay."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ppid_kit.storage import LocalStore, ObjectStore, generate_dated_key, key_created_at
from registry_service.documents.models import Document
from registry_service.documents.sweep import sweep

from tests.registry.documents.support import Docs, dip_entry, serve_docs
from tests.registry.harness import AuthStack
from tests.services.support import database_session, engine_for
from tests.support.objects import all_keys, put_object, sweep_command, wait_until_gone

GRACE = timedelta(hours=1)
DATA = b"%PDF-1.7\nsweeper test\n"


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
        orphan_old=await put_object(store, generate_dated_key("documents", old), DATA),
        orphan_young=await put_object(store, generate_dated_key("documents", now), DATA),
        named_old=await put_object(store, generate_dated_key("documents", old), DATA),
        undated=await put_object(store, f"documents/{uuid.uuid4().hex}", DATA),
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
    async with engine_for(docs.database_url, pool_size=1) as engine:
        report = await sweep(docs.store, engine, grace=GRACE, dry_run=dry_run)
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
    assert await all_keys(docs.store) == survivors(layout)
    assert await run_sweep(docs) == (0, 1)


async def test_sweep_on_s3(s3_docs: Docs) -> None:
    layout = await lay_out(s3_docs.store, s3_docs.database_url)
    assert await run_sweep(s3_docs) == (1, 1)
    assert await all_keys(s3_docs.store) == survivors(layout)


async def test_sweep_command_line(docs: Docs) -> None:
    layout = await lay_out(docs.store, docs.database_url)
    report = await sweep_command(
        "registry_service.documents.sweep",
        "REGISTRY_",
        docs.database_url,
        docs.settings.storage_dir,
        GRACE,
    )
    assert report["deleted"] == 1
    assert report["dry_run"] is False
    assert await all_keys(docs.store) == survivors(layout)


async def test_the_service_sweeps_periodically(
    auth_stack: AuthStack, registry_database: str, tmp_path: Path
) -> None:
    objects = tmp_path / "objects"
    # Laid out before the service starts: a sweep must not fall between an object and its row.
    layout = await lay_out(LocalStore(objects), registry_database)
    async with serve_docs(
        auth_stack, registry_database, storage_dir=objects, sweep_interval_seconds=0.2
    ) as docs:
        await wait_until_gone(docs.store, layout.orphan_old)
        assert await all_keys(docs.store) == survivors(layout)
