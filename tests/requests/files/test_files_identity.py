"""The requester's identity: decrypted for the handling unit, masked for other reader
officials, nothing for anyone else; every read audited without the personal data."""

from __future__ import annotations

import uuid

from requests_service.identity.nik import masked

from tests.requests.files.support import Files, audit_rows
from tests.requests.harness import DINKES_ID, Minter, demo_account, official
from tests.requests.people import BUDI, SITI
from tests.requests.support import Made, make_request, requester


def identity_path(made: Made) -> str:
    return f"/v1/requests/{made.id}/identity"


async def test_the_handler_reads_the_identity_with_the_nik_decrypted(
    files: Files, minter: Minter
) -> None:
    made = await make_request(files.database_url, SITI)
    ppid = demo_account("ppid.dinkes")

    read = await files.client.get(identity_path(made), headers=minter.official(ppid))

    assert read.status_code == 200, read.text
    assert read.headers["cache-control"] == "no-store"
    body = read.json()
    assert body["scope"] == "full"
    assert body["request_id"] == str(made.id)
    assert body["category"] == "perorangan"
    assert body["name"] == SITI.name
    assert body["nik"] == SITI.nik
    assert body["nik_masked"] == masked(SITI.nik)
    assert (body["address"], body["phone"], body["email"]) == (SITI.address, SITI.phone, SITI.email)
    assert body["occupation"] == SITI.occupation
    assert body["identity_verified_at"] is None
    (audit,) = await audit_rows(files.database_url, "request.identity.read", made.id)
    assert audit["actor_id"] == str(ppid.id)
    assert audit["actor_type"] == "official:ppid_pelaksana"
    assert audit["unit_id"] == DINKES_ID
    assert audit["details"] == {"scope": "full"}
    assert SITI.nik not in str(audit)

    utama = await files.client.get(identity_path(made), headers=official(minter, "ppid.utama"))
    assert utama.json()["nik"] == SITI.nik


async def test_readers_who_do_not_handle_get_the_nik_masked(files: Files, minter: Minter) -> None:
    made = await make_request(files.database_url, BUDI)
    for reader in ("auditor", "atasan"):
        read = await files.client.get(identity_path(made), headers=official(minter, reader))
        assert read.status_code == 200, read.text
        body = read.json()
        assert body["scope"] == "masked"
        assert body["nik"] is None
        assert body["nik_masked"] == masked(BUDI.nik)
        assert (body["address"], body["phone"], body["email"]) == (None, None, None)
        assert BUDI.nik not in read.text
    audits = await audit_rows(files.database_url, "request.identity.read", made.id)
    assert [a["details"]["scope"] for a in audits] == ["masked", "masked"]
    assert [a["actor_type"] for a in audits] == ["official:auditor", "official:atasan_ppid"]


async def test_nobody_else_reads_the_identity(files: Files, minter: Minter) -> None:
    account = uuid.uuid4()
    made = await make_request(files.database_url, SITI, account=account)
    refusals = {
        "another unit's PPID": (official(minter, "ppid.disdik"), 404),
        "the requester's account": (requester(minter, account), 404),
        "the tracking secret": (made.with_secret(), 401),
        "anonymous": ({}, 401),
    }
    for who, (headers, status) in refusals.items():
        refused = await files.client.get(identity_path(made), headers=headers)
        assert refused.status_code == status, (who, refused.text)
    unknown = await files.client.get(
        f"/v1/requests/{uuid.uuid4()}/identity",
        headers=official(minter, "ppid.dinkes"),
    )
    assert unknown.status_code == 404
    assert await audit_rows(files.database_url, "request.identity.read", made.id) == []
