"""The private bucket on S3 (moto's server): identity scans streamed through the service
(never a presigned URL), refusals and removals leave no object, S3 down is a clean 503."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ppid_kit.access import Actor
from ppid_kit.storage import S3Store
from requests_service.core.repository import get_request
from requests_service.files.removal import settle_removals
from requests_service.files.service import discard_identity_scans
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.requests.files.support import (
    ELF,
    Files,
    audit_rows,
    file_rows,
    scan,
    serve_files,
    upload,
)
from tests.requests.harness import AuthStack, Minter, demo_account, official
from tests.requests.people import BUDI, SITI, WAYAN
from tests.requests.support import make_request
from tests.services.support import engine_for
from tests.support.objects import all_keys, pdf, read_all
from tests.support.procs import free_port
from tests.support.s3 import s3_overrides_at


async def test_a_ktp_scan_on_s3_is_streamed_to_the_handler_only(
    s3_files: Files, minter: Minter
) -> None:
    assert isinstance(s3_files.store, S3Store)
    made = await make_request(s3_files.database_url, SITI)
    data = scan(3 * 1024 * 1024)

    created = await upload(s3_files.client, made, "ktp_scan", data, made.with_secret())

    assert created.status_code == 201, created.text
    assert created.json()["sha256"] == hashlib.sha256(data).hexdigest()
    (row,) = await file_rows(s3_files.database_url, made)
    assert await all_keys(s3_files.store) == [row.storage_key]
    assert await read_all(s3_files.store, row.storage_key) == data
    url = created.json()["url"]
    read = await s3_files.client.get(url, headers=official(minter, "ppid.dinkes"))
    assert read.status_code == 200, read.text  # streamed, never a redirect to the bucket
    assert read.content == data
    assert read.headers["cache-control"] == "no-store"
    assert len(await audit_rows(s3_files.database_url, "request.identity_file.read", row.id)) == 1
    assert (await s3_files.client.get(url, headers=made.with_secret())).status_code == 404
    assert (await s3_files.client.get(url)).status_code == 404


async def test_refusals_removals_and_discards_leave_no_object_on_s3(
    s3_files: Files, minter: Minter
) -> None:
    made = await make_request(s3_files.database_url, BUDI)
    handler = official(minter, "ppid.dinkes")
    refused = await upload(s3_files.client, made, "supporting", ELF, made.with_secret())
    assert refused.status_code == 415
    assert await all_keys(s3_files.store) == []

    delivered = await upload(s3_files.client, made, "delivered", pdf(), handler)
    removed = await s3_files.client.delete(
        f"{made.files_path}/{delivered.json()['id']}", headers=handler
    )
    assert removed.status_code == 204
    assert await all_keys(s3_files.store) == []

    ktp = await upload(s3_files.client, made, "ktp_scan", scan(), made.with_secret())
    assert ktp.status_code == 201
    async with engine_for(s3_files.database_url) as engine:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            request = await get_request(session, made.id, for_update=True)
            verifier = Actor(demo_account("ppid.dinkes").id, "ppid_pelaksana")
            assert await discard_identity_scans(session, s3_files.store, request, verifier) == 1
        await settle_removals()
    assert await all_keys(s3_files.store) == []


async def test_storage_down_answers_503_and_records_nothing(
    auth_stack: AuthStack, requests_database: str, tmp_path: Path, minter: Minter
) -> None:
    """Nothing listens at the S3 endpoint: the service still starts; an upload is a clean
    503 with Retry-After and no row; the identity endpoint needs no storage."""
    overrides = s3_overrides_at(f"http://127.0.0.1:{free_port()}", "terbuka-unreachable")
    async with serve_files(auth_stack, requests_database, tmp_path, **overrides) as files:
        made = await make_request(files.database_url, WAYAN)
        refused = await upload(files.client, made, "ktp_scan", scan(), made.with_secret())
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"]
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert await file_rows(files.database_url, made) == []
        handler = official(minter, "ppid.dinkes")
        identity = await files.client.get(f"/v1/requests/{made.id}/identity", headers=handler)
        assert identity.status_code == 200
