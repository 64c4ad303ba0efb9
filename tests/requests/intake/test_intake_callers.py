"""Who submits: anonymous and requester accounts online, handling officials for walk-ins,
phone calls and letters; any other official is refused (403)."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import httpx
import pytest
from requests_service.identity.nik import decrypt_nik, nik_hash
from requests_service.settings import RequestsSettings

from tests.requests.harness import DINKES_ID, ROOT_ID, Minter, demo_account, official
from tests.requests.people import BUDI, SITI, WAYAN, YOHANES
from tests.requests.support import form, requester, submit
from tests.services.support import rows

NUMBER = r"KOTA-CONTOH/{unit}/PI/{year}/\d{{5}}"
PERSONAL_FIELDS = ("name", "nik", "address", "phone", "email", "requester")


def this_year() -> int:
    return dt.datetime.now(ZoneInfo("Asia/Jakarta")).year


async def test_anonymous_submits_online(
    requests_client: httpx.AsyncClient, requests_database: str
) -> None:
    response = await requests_client.post("/v1/requests", json=form())
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["channel"] == "online"
    assert made["state"] == "received"
    assert made["version"] == 1
    assert made["registration_number"].startswith(f"KOTA-CONTOH/DINKES/PI/{this_year()}/")
    assert made["receipt_url"] == f"/v1/requests/{made['id']}/receipt.pdf"
    assert len(made["tracking_secret"]) == 43
    assert not set(PERSONAL_FIELDS) & set(made)
    assert response.headers["location"] == f"/v1/requests/{made['id']}"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["etag"]
    [event] = made["history"]
    assert (event["action"], event["to_state"], event["actor_type"]) == (
        "submit",
        "received",
        "anonymous",
    )
    [row] = await rows(
        requests_database,
        "SELECT requester_account_id, entered_by, tracking_secret_hash FROM "
        "information_requests WHERE id = :id",
        id=made["id"],
    )
    assert (row.requester_account_id, row.entered_by) == (None, None)
    assert made["tracking_secret"] not in row.tracking_secret_hash


async def test_the_identity_is_kept_apart_and_the_nik_encrypted(
    requests_client: httpx.AsyncClient, requests_database: str
) -> None:
    made = await submit(requests_client, form(requester={"nik": "3273 0157 0891 0003"}))
    [identity] = await rows(
        requests_database,
        "SELECT * FROM requester_identities WHERE request_id = :id",
        id=made["id"],
    )
    settings = RequestsSettings(database_url=requests_database)
    assert SITI.nik.encode() not in identity.nik_ciphertext
    assert decrypt_nik(identity.nik_ciphertext, settings.nik_keys, identity.nik_key_id) == SITI.nik
    assert identity.nik_hash == nik_hash(SITI.nik, settings.nik_hash_key)
    assert (identity.name, identity.address, identity.phone) == (
        SITI.name,
        SITI.address,
        SITI.phone,
    )
    audit = await rows(
        requests_database,
        "SELECT action, details::text AS details FROM audit_log WHERE object_id = :id",
        id=made["id"],
    )
    assert [a.action for a in audit] == ["request.submit"]
    for value in (SITI.nik, SITI.address, SITI.phone, SITI.name, SITI.email):
        assert value not in audit[0].details


async def test_a_requester_account_is_linked(
    requests_client: httpx.AsyncClient, minter: Minter, requests_database: str
) -> None:
    account = uuid.uuid4()
    made = await submit(requests_client, form(BUDI), requester(minter, account))
    assert made["channel"] == "online"
    assert made["history"][0]["actor_type"] == "requester"
    assert made["history"][0]["actor_role"] == "pemohon"
    [row] = await rows(
        requests_database,
        "SELECT requester_account_id FROM information_requests WHERE id = :id",
        id=made["id"],
    )
    assert row.requester_account_id == account


@pytest.mark.parametrize(
    ("local", "role"), [("ppid.dinkes", "ppid_pelaksana"), ("petugas", "petugas_layanan")]
)
async def test_a_handling_official_registers_a_walk_in(
    requests_client: httpx.AsyncClient,
    minter: Minter,
    requests_database: str,
    local: str,
    role: str,
) -> None:
    made = await submit(requests_client, form(WAYAN), official(minter, local))
    assert made["channel"] == "walk_in"
    assert (made["history"][0]["actor_type"], made["history"][0]["actor_role"]) == (
        "official",
        role,
    )
    [row] = await rows(
        requests_database,
        "SELECT entered_by, requester_account_id FROM information_requests WHERE id = :id",
        id=made["id"],
    )
    assert (row.entered_by, row.requester_account_id) == (demo_account(local).id, None)


async def test_a_letter_keeps_the_day_it_arrived(
    requests_client: httpx.AsyncClient, minter: Minter
) -> None:
    arrived = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3)).replace(microsecond=0)
    body = form(
        YOHANES,
        target_unit_id=str(ROOT_ID),
        channel="letter",
        channel_note="Surat No. 12/2026",
        received_at=arrived.isoformat(),
    )
    made = await submit(requests_client, body, official(minter, "ppid.utama"))
    assert made["channel"] == "letter"
    received = dt.datetime.fromisoformat(made["deadlines"]["received_at"])
    assert received == arrived
    local_year = arrived.astimezone(ZoneInfo("Asia/Jakarta")).year
    assert made["registration_number"].startswith(f"KOTA-CONTOH/KOTA-CONTOH/PI/{local_year}/")


@pytest.mark.parametrize("local", ["ppid.disdik", "atasan", "auditor", "admin"])
async def test_other_officials_may_not_register_for_the_unit(
    requests_client: httpx.AsyncClient, minter: Minter, local: str
) -> None:
    response = await requests_client.post(
        "/v1/requests", json=form(), headers=official(minter, local)
    )
    assert response.status_code == 403, response.text
    assert response.json()["type"] == "/problems/forbidden"


async def test_a_bad_token_is_not_anonymity(requests_client: httpx.AsyncClient) -> None:
    response = await requests_client.post(
        "/v1/requests", json=form(), headers={"Authorization": "Bearer not-a-token"}
    )
    assert response.status_code == 401


async def test_an_unknown_unit_is_refused_before_the_caller_is_checked(
    requests_client: httpx.AsyncClient, minter: Minter
) -> None:
    body = form(target_unit_id=str(uuid.uuid4()))
    response = await requests_client.post(
        "/v1/requests", json=body, headers=official(minter, "auditor")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "target_unit_id"
    assert str(DINKES_ID) not in response.text
