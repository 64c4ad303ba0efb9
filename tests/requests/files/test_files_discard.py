"""Identity scans after verification (DOMAIN.md 17 rule 1): the rows are marked deleted in
the verifying transaction and the objects go only once it has committed, so no live row
ever names a missing object, and a rolled-back verify changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from ppid_kit.access import Actor
from requests_service.core.models import RequestFile
from requests_service.core.repository import get_request
from requests_service.files.removal import settle_removals
from requests_service.files.service import discard_identity_scans
from requests_service.files.sweep import sweep
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.requests.files.support import Files, audit_rows, file_rows, identity_row, scan, upload
from tests.requests.harness import Minter, demo_account
from tests.requests.people import BUDI, SITI, WAYAN
from tests.requests.support import Made, make_request
from tests.services.support import engine_for, transaction
from tests.support.objects import all_keys, pdf

PPID = demo_account("ppid.dinkes")
VERIFIER = Actor(PPID.id, "ppid_pelaksana")
GRACE_HOURS = 1


class VerifyFailedError(Exception):
    """Stands for whatever makes the verifying transaction roll back."""


async def with_evidence(files: Files, made: Made, minter: Minter) -> dict[str, str]:
    """A KTP scan and a power of attorney from the requester, a supporting file; by kind."""
    ids: dict[str, str] = {}
    for kind, data in (("ktp_scan", scan()), ("power_of_attorney", pdf()), ("supporting", pdf())):
        created = await upload(files.client, made, kind, data, made.with_secret())
        assert created.status_code == 201, created.text
        ids[kind] = created.json()["id"]
    return ids


async def test_verify_then_discard_leaves_no_object_and_no_live_row(
    files: Files, minter: Minter
) -> None:
    made = await make_request(files.database_url, SITI)
    ids = await with_evidence(files, made, minter)
    supporting_key = next(
        r.storage_key for r in await file_rows(files.database_url, made) if r.kind == "supporting"
    )

    async with engine_for(files.database_url) as engine:
        async with transaction(engine) as session:  # as the `verify` action's
            request = await get_request(session, made.id, for_update=True)
            assert await discard_identity_scans(session, files.store, request, VERIFIER) == 2
            # Not committed yet: every object is still there.
            assert len(await all_keys(files.store)) == 3
        await settle_removals()

    assert await all_keys(files.store) == [supporting_key]
    rows = {str(r.id): r for r in await file_rows(files.database_url, made)}
    assert rows[ids["ktp_scan"]].deleted_at is not None
    assert rows[ids["power_of_attorney"]].deleted_at is not None
    assert rows[ids["supporting"]].deleted_at is None
    assert (await identity_row(files.database_url, made)).identity_verified_at is not None
    (audit,) = await audit_rows(files.database_url, "request.identity_scans.discard", made.id)
    assert audit["actor_id"] == str(PPID.id)
    assert audit["details"]["count"] == 2
    handler = minter.official(PPID)
    gone = await files.client.get(f"{made.files_path}/{ids['ktp_scan']}/content", headers=handler)
    assert gone.status_code == 404
    listed = (await files.client.get(made.files_path, headers=handler)).json()["items"]
    assert [item["id"] for item in listed] == [ids["supporting"]]

    # A second verify finds nothing left to discard.
    async with engine_for(files.database_url) as engine, transaction(engine) as session:
        request = await get_request(session, made.id, for_update=True)
        assert await discard_identity_scans(session, files.store, request, VERIFIER) == 0


async def test_a_rolled_back_verify_keeps_every_scan(files: Files, minter: Minter) -> None:
    made = await make_request(files.database_url, BUDI)
    await with_evidence(files, made, minter)
    keys = await all_keys(files.store)

    async def failed_verify(engine: AsyncEngine) -> None:
        async with transaction(engine) as session:
            request = await get_request(session, made.id, for_update=True)
            await discard_identity_scans(session, files.store, request, VERIFIER)
            raise VerifyFailedError

    async with engine_for(files.database_url) as engine:
        with pytest.raises(VerifyFailedError):
            await failed_verify(engine)
        # A savepoint that commits inside a transaction that then rolls back.
        async with AsyncSession(engine, expire_on_commit=False) as session:
            async with session.begin():
                async with session.begin_nested():
                    request = await get_request(session, made.id, for_update=True)
                    await discard_identity_scans(session, files.store, request, VERIFIER)
                await session.rollback()
            async with session.begin():  # a later commit of the same session
                await session.execute(sa.select(1))
        await settle_removals()

    assert await all_keys(files.store) == keys
    assert all(r.deleted_at is None for r in await file_rows(files.database_url, made))
    assert (await identity_row(files.database_url, made)).identity_verified_at is None


async def test_the_sweeper_removes_objects_a_crash_left_behind(
    files: Files, minter: Minter
) -> None:
    """The verify committed, the process died before deleting: the sweeper finishes."""
    made = await make_request(files.database_url, WAYAN)
    await with_evidence(files, made, minter)
    rows = await file_rows(files.database_url, made)
    scans = [r.storage_key for r in rows if r.kind != "supporting"]
    async with engine_for(files.database_url) as engine:
        async with engine.begin() as conn:
            await conn.execute(
                sa.update(RequestFile)
                .where(col(RequestFile.storage_key).in_(scans))
                .values(deleted_at=sa.func.now())
            )
        report = await sweep(files.store, engine, grace=timedelta(hours=GRACE_HOURS))

    assert report.deleted == 2
    assert report.live == 1
    assert sorted(await all_keys(files.store)) == sorted(
        r.storage_key for r in rows if r.kind == "supporting"
    )
