"""The files' sweeper: identity scans past the root's retention go even if never verified
(DOMAIN.md 17 rule 4), objects of deleted rows go, orphans go after the grace period."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from ppid_kit.storage import LocalStore, ObjectStore, generate_dated_key
from requests_service.core.models import RequestFile, RequestFileKind, RequestPolicy
from requests_service.files.sweep import SweepReport, sweep
from sqlmodel import col

from tests.requests.files.support import Files, audit_rows, file_rows, scan, serve_files, upload
from tests.requests.harness import ROOT_ID, AuthStack
from tests.requests.people import BUDI, SITI, WAYAN, YOHANES
from tests.requests.support import Made, make_request
from tests.services.support import database_session, engine_for
from tests.support.objects import all_keys, pdf, put_object, sweep_command, wait_until_gone

GRACE = timedelta(hours=1)
DATA = b"%PDF-1.7\nsweeper test\n"


async def run_sweep(files: Files, *, dry_run: bool = False) -> SweepReport:
    async with engine_for(files.database_url) as engine:
        return await sweep(files.store, engine, grace=GRACE, dry_run=dry_run)


async def attach(files: Files, made: Made, kind: str, age: timedelta) -> RequestFile:
    """A file uploaded by the requester, then made `age` old."""
    data = pdf() if kind == "supporting" else scan()
    created = await upload(files.client, made, kind, data, made.with_secret())
    assert created.status_code == 201, created.text
    file_id = uuid.UUID(created.json()["id"])
    async with database_session(files.database_url) as session:
        await session.execute(
            sa.update(RequestFile)
            .where(col(RequestFile.id) == file_id)
            .values(created_at=sa.func.now() - age)
        )
        row = await session.get(RequestFile, file_id)
    assert row is not None
    return row


async def live_ids(files: Files, made: Made) -> set[uuid.UUID]:
    return {r.id for r in await file_rows(files.database_url, made) if r.deleted_at is None}


async def test_identity_scans_expire_with_the_roots_retention(files: Files) -> None:
    old = await make_request(files.database_url, SITI)
    recent = await make_request(files.database_url, BUDI)
    old_ktp = await attach(files, old, "ktp_scan", timedelta(days=31))
    old_support = await attach(files, old, "supporting", timedelta(days=40))
    recent_ktp = await attach(files, recent, "ktp_scan", timedelta(days=10))

    assert (await run_sweep(files, dry_run=True)).expired == 1
    assert len(await all_keys(files.store)) == 3

    report = await run_sweep(files)  # no policy row: 30 days

    assert report.expired == 1
    assert await live_ids(files, old) == {old_support.id}
    assert await live_ids(files, recent) == {recent_ktp.id}
    assert await all_keys(files.store) == sorted([old_support.storage_key, recent_ktp.storage_key])
    (audit,) = await audit_rows(files.database_url, "request.identity_file.expire", old_ktp.id)
    assert audit["actor_type"] == "system"
    assert audit["details"] == {"request_id": str(old.id), "kind": "ktp_scan"}

    async with database_session(files.database_url) as session:
        session.add(RequestPolicy(root_id=ROOT_ID, scan_retention_days=7))
    try:
        assert (await run_sweep(files)).expired == 1
    finally:
        async with database_session(files.database_url) as session:
            await session.execute(sa.delete(RequestPolicy))
    assert await live_ids(files, recent) == set()
    assert await all_keys(files.store) == [old_support.storage_key]


@dataclass(frozen=True)
class Layout:
    orphan_old: str
    orphan_young: str
    undated: str
    named_old: str
    released: str

    def survivors(self) -> list[str]:
        return sorted([self.orphan_young, self.undated, self.named_old])


async def lay_out(store: ObjectStore, database_url: str) -> Layout:
    """One object of each kind the sweeper must tell apart."""
    now = datetime.now(UTC)
    old = now - GRACE - timedelta(minutes=5)
    layout = Layout(
        orphan_old=await put_object(store, generate_dated_key("request-files", old), DATA),
        orphan_young=await put_object(store, generate_dated_key("request-files", now), DATA),
        undated=await put_object(store, f"request-files/{uuid.uuid4().hex}", DATA),
        named_old=await put_object(store, generate_dated_key("request-files", old), DATA),
        released=await put_object(store, generate_dated_key("request-files", now), DATA),
    )
    made = await make_request(database_url, YOHANES)
    async with database_session(database_url) as session:
        for key, deleted_at in ((layout.named_old, None), (layout.released, now)):
            session.add(
                RequestFile(
                    request_id=made.id,
                    kind=RequestFileKind.DELIVERED,
                    filename="data.pdf",
                    content_type="application/pdf",
                    size=len(DATA),
                    sha256=hashlib.sha256(DATA).hexdigest(),
                    storage_key=key,
                    deleted_at=deleted_at,
                )
            )
    return layout


async def test_orphans_go_after_the_grace_period_and_released_objects_at_once(
    files: Files,
) -> None:
    layout = await lay_out(files.store, files.database_url)

    dry = await run_sweep(files, dry_run=True)
    assert (dry.deleted, dry.live, dry.young, dry.undated) == (2, 1, 1, 1)
    assert len(await all_keys(files.store)) == 5

    report = await run_sweep(files)
    assert (report.deleted, report.live, report.failed) == (2, 1, 0)
    assert await all_keys(files.store) == layout.survivors()
    assert (await run_sweep(files)).deleted == 0


async def test_sweep_on_s3(s3_files: Files) -> None:
    layout = await lay_out(s3_files.store, s3_files.database_url)
    assert (await run_sweep(s3_files)).deleted == 2
    assert await all_keys(s3_files.store) == layout.survivors()


async def test_sweep_command_line(files: Files) -> None:
    layout = await lay_out(files.store, files.database_url)
    report = await sweep_command(
        "requests_service.files.sweep",
        "REQUESTS_",
        files.database_url,
        files.settings.storage_dir,
        GRACE,
    )
    assert report["deleted"] == 2
    assert report["dry_run"] is False
    assert await all_keys(files.store) == layout.survivors()


async def test_the_service_sweeps_periodically(
    auth_stack: AuthStack, requests_database: str, tmp_path: Path
) -> None:
    objects = tmp_path / "objects"
    # Laid out before the service starts: a sweep must not fall between an object and its row.
    layout = await lay_out(LocalStore(objects), requests_database)
    made = await make_request(requests_database, WAYAN)
    async with serve_files(
        auth_stack, requests_database, objects, sweep_interval_seconds=0.2
    ) as files:
        await wait_until_gone(files.store, layout.orphan_old)
        assert await all_keys(files.store) == layout.survivors()
        # Uploads keep working while it runs, and their objects stay.
        created = await upload(files.client, made, "ktp_scan", scan(), made.with_secret())
        assert created.status_code == 201
        await asyncio.sleep(0.5)
        (row,) = await file_rows(files.database_url, made)
        assert row.storage_key in await all_keys(files.store)
