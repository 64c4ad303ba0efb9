"""Reading files: identity evidence by the handling unit only (every read audited), the
delivered information by whoever may see the request, lists cut to the caller, removal."""

from __future__ import annotations

import uuid

import httpx

from tests.requests.files.support import Files, audit_rows, file_rows, scan, upload
from tests.requests.harness import DINKES_ID, Minter, demo_account, official
from tests.requests.people import BUDI, SITI, WAYAN, YOHANES
from tests.requests.support import Made, make_request, requester
from tests.support.objects import all_keys, pdf


def content_path(made: Made, file_id: object) -> str:
    return f"{made.files_path}/{file_id}/content"


async def uploaded(
    files: Files, made: Made, kind: str, data: bytes, headers: dict[str, str]
) -> str:
    created = await upload(files.client, made, kind, data, headers, filename="KTP_Siti.jpg")
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_the_handling_ppid_reads_a_ktp_scan_and_the_read_is_audited(
    files: Files, minter: Minter
) -> None:
    made = await make_request(files.database_url, SITI)
    data = scan(200_000)
    file_id = await uploaded(files, made, "ktp_scan", data, made.with_secret())
    ppid = demo_account("ppid.dinkes")

    read = await files.client.get(content_path(made, file_id), headers=minter.official(ppid))

    assert read.status_code == 200, read.text
    assert read.content == data
    assert read.headers["content-type"] == "image/jpeg"
    assert read.headers["content-disposition"].startswith('attachment; filename="KTP_Siti.jpg"')
    assert read.headers["x-content-type-options"] == "nosniff"
    assert read.headers["cache-control"] == "no-store"
    assert read.headers["content-length"] == str(len(data))
    (audit,) = await audit_rows(files.database_url, "request.identity_file.read", file_id)
    assert audit["actor_id"] == str(ppid.id)
    assert audit["actor_type"] == "official:ppid_pelaksana"
    assert audit["unit_id"] == DINKES_ID
    assert audit["details"] == {"request_id": str(made.id), "kind": "ktp_scan"}

    # The PPID Utama and the petugas at the root handle every unit's requests.
    for handler in ("ppid.utama", "petugas"):
        headers = official(minter, handler)
        assert (
            await files.client.get(content_path(made, file_id), headers=headers)
        ).content == data
    assert len(await audit_rows(files.database_url, "request.identity_file.read", file_id)) == 3


async def test_nobody_else_reads_identity_evidence(files: Files, minter: Minter) -> None:
    account = uuid.uuid4()
    made = await make_request(files.database_url, BUDI, account=account)
    their_account = requester(minter, account)
    file_ids = [
        await uploaded(files, made, "ktp_scan", scan(), made.with_secret()),
        await uploaded(files, made, "power_of_attorney", pdf(), their_account),
    ]
    not_found = {
        "another unit's PPID": official(minter, "ppid.disdik"),
        "the requester's secret": made.with_secret(),
        "the requester's account": their_account,
        "anonymous": {},
    }
    for file_id in file_ids:
        for who, headers in not_found.items():
            refused = await files.client.get(content_path(made, file_id), headers=headers)
            assert refused.status_code == 404, (who, refused.text)
        for reader in ("auditor", "atasan", "admin"):
            headers = official(minter, reader)
            refused = await files.client.get(content_path(made, file_id), headers=headers)
            assert refused.status_code == 403, (reader, refused.text)
        assert await audit_rows(files.database_url, "request.identity_file.read", file_id) == []
    unknown = await files.client.get(
        content_path(made, uuid.uuid4()), headers=official(minter, "ppid.dinkes")
    )
    assert unknown.status_code == 404


async def test_delivered_information_reaches_the_requester(files: Files, minter: Minter) -> None:
    account = uuid.uuid4()
    made = await make_request(files.database_url, WAYAN, account=account)
    data = pdf(100_000)
    file_id = await uploaded(files, made, "delivered", data, official(minter, "ppid.dinkes"))
    readers = {
        "the secret": made.with_secret(),
        "the account": requester(minter, account),
        "the auditor": official(minter, "auditor"),
    }
    for who, headers in readers.items():
        read = await files.client.get(content_path(made, file_id), headers=headers)
        assert read.status_code == 200, (who, read.text)
        assert read.content == data
        assert read.headers["cache-control"] == "no-store"
    for headers in ({}, official(minter, "ppid.disdik")):
        assert (
            await files.client.get(content_path(made, file_id), headers=headers)
        ).status_code == 404
    audits = await audit_rows(files.database_url, "request.file.read", file_id)
    assert [a["actor_type"] for a in audits] == [
        "anonymous",
        "requester:pemohon",
        "official:auditor",
    ]


async def list_ids(
    client: httpx.AsyncClient, made: Made, headers: dict[str, str], **params: str
) -> list[str]:
    listed = await client.get(made.files_path, headers=headers, params=params)
    assert listed.status_code == 200, listed.text
    assert listed.headers["cache-control"] == "no-store"
    return [item["id"] for item in listed.json()["items"]]


async def test_lists_show_each_caller_what_they_may_read(files: Files, minter: Minter) -> None:
    made = await make_request(files.database_url, YOHANES)
    handler = official(minter, "ppid.dinkes")
    ktp = await uploaded(files, made, "ktp_scan", scan(), made.with_secret())
    theirs = await uploaded(files, made, "supporting", pdf(), made.with_secret())
    internal = await uploaded(files, made, "supporting", pdf(), handler)
    delivered = await uploaded(files, made, "delivered", pdf(), handler)

    assert await list_ids(files.client, made, handler) == [ktp, theirs, internal, delivered]
    assert await list_ids(files.client, made, official(minter, "auditor")) == [
        ktp,
        theirs,
        internal,
        delivered,
    ]
    assert await list_ids(files.client, made, made.with_secret()) == [theirs, delivered]
    assert await list_ids(files.client, made, handler, kind="ktp_scan") == [ktp]
    assert await list_ids(files.client, made, handler, limit="2") == [ktp, theirs]
    # The requester reads their own supporting file back, not the officials' one.
    own = await files.client.get(content_path(made, theirs), headers=made.with_secret())
    assert own.status_code == 200
    other = await files.client.get(content_path(made, internal), headers=made.with_secret())
    assert other.status_code == 404
    for headers in ({}, official(minter, "ppid.disdik")):
        assert (await files.client.get(made.files_path, headers=headers)).status_code == 404
    # Officials see the scan's own filename; it never reaches the requester's side.
    listed = (await files.client.get(made.files_path, headers=handler)).json()["items"]
    assert listed[0]["filename"] == "KTP_Siti.jpg"


async def test_a_handler_removes_a_file(files: Files, minter: Minter) -> None:
    made = await make_request(files.database_url, SITI)
    handler = official(minter, "ppid.dinkes")
    file_id = await uploaded(files, made, "supporting", pdf(), made.with_secret())
    path = f"{made.files_path}/{file_id}"

    assert (await files.client.delete(path, headers=made.with_secret())).status_code == 401
    requester_token = requester(minter)
    assert (await files.client.delete(path, headers=requester_token)).status_code == 404
    other_unit = official(minter, "ppid.disdik")
    assert (await files.client.delete(path, headers=other_unit)).status_code == 404
    auditor = official(minter, "auditor")
    assert (await files.client.delete(path, headers=auditor)).status_code == 403

    removed = await files.client.delete(path, headers=handler)

    assert removed.status_code == 204, removed.text
    (row,) = await file_rows(files.database_url, made)
    assert row.deleted_at is not None  # the row stays as the record
    assert await all_keys(files.store) == []
    assert (await files.client.get(f"{path}/content", headers=handler)).status_code == 404
    assert await list_ids(files.client, made, handler) == []
    assert (await files.client.delete(path, headers=handler)).status_code == 404
    (audit,) = await audit_rows(files.database_url, "request.file.delete", file_id)
    assert audit["actor_id"] == str(demo_account("ppid.dinkes").id)
