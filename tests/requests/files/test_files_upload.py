"""Uploads: who may attach what, the scans' allowlist (415), the size limit (413), and that
a refusal stores nothing: no object, no row, no temporary file."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from requests_service.core.models import RequestState

from tests.requests.files.support import (
    ELF,
    GIF,
    PNG,
    ZIP,
    Files,
    audit_rows,
    file_rows,
    scan,
    serve_files,
    upload,
)
from tests.requests.harness import AuthStack, Minter, demo_account, official
from tests.requests.people import BUDI, SITI, WAYAN
from tests.requests.support import make_request, requester
from tests.support.objects import all_keys, pdf, read_all

KTP_NAME = "KTP_Siti_Rahmawati.jpg"


def nothing_left(files: Files) -> bool:
    return not any((files.settings.storage_dir / ".tmp").glob("*"))


async def test_a_requester_uploads_a_ktp_scan_with_the_tracking_secret(files: Files) -> None:
    made = await make_request(files.database_url, SITI)
    data = scan()

    created = await upload(
        files.client, made, "ktp_scan", data, made.with_secret(), filename=KTP_NAME
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["kind"] == "ktp_scan"
    assert body["content_type"] == "image/jpeg"
    assert body["size"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["filename"] == "ktp_scan"  # the requester's name stays with the officials
    assert created.headers["location"] == body["url"]
    (row,) = await file_rows(files.database_url, made)
    assert row.filename == KTP_NAME
    assert row.uploaded_by is None
    assert row.storage_key.startswith("request-files/")
    assert KTP_NAME not in row.storage_key
    assert await all_keys(files.store) == [row.storage_key]
    assert await read_all(files.store, row.storage_key) == data
    (audit,) = await audit_rows(files.database_url, "request.file.upload", row.id)
    assert audit["actor_type"] == "anonymous"
    assert audit["details"]["kind"] == "ktp_scan"
    assert "Siti" not in str(audit["details"])


async def test_the_requesters_account_and_the_handlers_upload(files: Files, minter: Minter) -> None:
    account = uuid.uuid4()
    made = await make_request(files.database_url, BUDI, account=account)
    their_account = requester(minter, account)

    by_account = await upload(files.client, made, "power_of_attorney", pdf(), their_account)
    by_ppid = await upload(files.client, made, "supporting", pdf(), official(minter, "ppid.dinkes"))
    by_petugas = await upload(
        files.client, made, "deed_scan", scan(head=PNG), official(minter, "petugas")
    )

    assert [r.status_code for r in (by_account, by_ppid, by_petugas)] == [201, 201, 201]
    assert by_petugas.json()["content_type"] == "image/png"
    rows = await file_rows(files.database_url, made)
    assert [r.uploaded_by for r in rows] == [
        account,
        demo_account("ppid.dinkes").id,
        demo_account("petugas").id,
    ]
    (audit,) = await audit_rows(files.database_url, "request.file.upload", rows[1].id)
    assert audit["actor_type"] == "official:ppid_pelaksana"
    assert audit["unit_id"] is not None


async def test_strangers_get_404_and_readers_who_do_not_handle_403(
    files: Files, minter: Minter
) -> None:
    made = await make_request(files.database_url, WAYAN, account=uuid.uuid4())
    strangers = {
        "anonymous": {},
        "wrong secret": {"X-Tracking-Secret": "not-the-secret"},
        "another requester": requester(minter),
        "another unit's PPID": official(minter, "ppid.disdik"),
        "tim pertimbangan": official(minter, "tim.pertimbangan"),
    }
    for who, headers in strangers.items():
        refused = await upload(files.client, made, "ktp_scan", scan(), headers)
        assert refused.status_code == 404, (who, refused.text)
    for reader in ("auditor", "atasan"):
        refused = await upload(files.client, made, "supporting", pdf(), official(minter, reader))
        assert refused.status_code == 403, (reader, refused.text)
    unknown = await files.client.post(
        f"/v1/requests/{uuid.uuid4()}/files", files={"file": ("a.pdf", pdf())}
    )
    assert unknown.status_code == 404
    assert await file_rows(files.database_url, made) == []
    assert await all_keys(files.store) == []


async def test_delivered_information_is_uploaded_by_handlers_only(
    files: Files, minter: Minter
) -> None:
    made = await make_request(files.database_url, SITI)

    refused = await upload(files.client, made, "delivered", pdf(), made.with_secret())
    assert refused.status_code == 403, refused.text
    assert await all_keys(files.store) == []

    handler = official(minter, "ppid.dinkes")
    delivered = await upload(
        files.client, made, "delivered", ZIP, handler, filename="data-imunisasi.zip"
    )
    assert delivered.status_code == 201, delivered.text
    assert delivered.json()["content_type"] == "application/zip"
    assert delivered.json()["filename"] == "data-imunisasi.zip"


async def test_a_wrong_type_is_415_and_nothing_is_stored(files: Files, minter: Minter) -> None:
    made = await make_request(files.database_url, BUDI)
    handler = official(minter, "ppid.dinkes")
    attempts = [
        ("ktp_scan", GIF, made.with_secret()),  # an image, but not one a scan may be
        ("deed_scan", ZIP, made.with_secret()),
        ("power_of_attorney", b"Surat kuasa dalam teks biasa.\n", handler),
        ("supporting", ELF, made.with_secret()),
        ("delivered", b"<!DOCTYPE html><script>alert(1)</script>", handler),
        ("ktp_scan", b"", made.with_secret()),
    ]
    for kind, content, headers in attempts:
        refused = await upload(files.client, made, kind, content, headers, filename="ktp.jpg")
        assert refused.status_code == 415, (kind, refused.text)
        assert refused.json()["type"].endswith("/unsupported-media-type")
    assert await file_rows(files.database_url, made) == []
    assert await all_keys(files.store) == []
    assert nothing_left(files)


def _form(*parts: tuple[str, bytes, str | None]) -> tuple[bytes, str]:
    boundary = "terbuka-files-boundary"
    body = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        body += value + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


async def test_kind_after_the_file_is_checked_once_known(files: Files) -> None:
    made = await make_request(files.database_url, SITI)

    async def post(*parts: tuple[str, bytes, str | None]) -> int:
        body, content_type = _form(*parts)
        headers = made.with_secret({"Content-Type": content_type})
        response = await files.client.post(made.files_path, content=body, headers=headers)
        return response.status_code

    # The GIF was stored before `kind` said it is a scan: removed again.
    assert await post(("file", GIF, "a.gif"), ("kind", b"ktp_scan", None)) == 415
    assert await post(("file", scan(), "a.jpg")) == 422  # no kind
    assert await post(("kind", b"selfie", None), ("file", scan(), "a.jpg")) == 422
    assert await post(("file", scan(), "a.jpg"), ("kind", b"delivered", None)) == 403
    assert await all_keys(files.store) == []
    assert await post(("file", scan(), "a.jpg"), ("kind", b"ktp_scan", None)) == 201
    assert len(await all_keys(files.store)) == 1
    assert nothing_left(files)


async def test_over_the_limit_is_413_and_nothing_is_stored(
    auth_stack: AuthStack, requests_database: str, tmp_path: Path
) -> None:
    limit = 256 * 1024
    async with serve_files(
        auth_stack, requests_database, tmp_path / "objects", max_upload_bytes=limit
    ) as files:
        made = await make_request(files.database_url, BUDI)
        declared = await upload(files.client, made, "ktp_scan", scan(4 * limit), made.with_secret())
        assert declared.status_code == 413, declared.text
        assert declared.json()["max_bytes"] == limit
        barely = await upload(files.client, made, "ktp_scan", scan(limit + 1), made.with_secret())
        assert barely.status_code == 413, barely.text
        assert await all_keys(files.store) == []
        assert nothing_left(files)
        exactly = await upload(files.client, made, "ktp_scan", scan(limit), made.with_secret())
        assert exactly.status_code == 201, exactly.text
        (row,) = await file_rows(files.database_url, made)
        assert await all_keys(files.store) == [row.storage_key]


async def test_ended_requests_take_no_files(files: Files, minter: Minter) -> None:
    handler = official(minter, "ppid.dinkes")
    for state in (RequestState.CLOSED, RequestState.WITHDRAWN, RequestState.REJECTED_INCOMPLETE):
        made = await make_request(files.database_url, WAYAN, state=state)
        for kind, headers in (("ktp_scan", made.with_secret()), ("delivered", handler)):
            refused = await upload(files.client, made, kind, scan(), headers)
            assert refused.status_code == 409, (state, kind, refused.text)
    assert await all_keys(files.store) == []
