"""The DIK: consequence tests recorded, checked, listed publicly, opened and withdrawn."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.registry.dik.support import SECRET, add_dip_entry, dik_body, years_after
from tests.registry.harness import DISDIK_ID, ROOT_ID, Minter, demo_account
from tests.services.support import execute, scalar

MANAGE_ONLY = {
    "withheld_information",
    "harm_analysis",
    "public_interest_analysis",
    "balancing",
    "participants",
    "summary",
    "documents",
    "signed_by_name",
    "trigger_reference",
    "document_reference",
}


def dinkes(minter: Minter) -> dict[str, str]:
    return minter.official(demo_account("ppid.dinkes"))


def utama(minter: Minter) -> dict[str, str]:
    return minter.official(demo_account("ppid.utama"))


def disdik(minter: Minter) -> dict[str, str]:
    return minter.headers([("ppid_pelaksana", DISDIK_ID)])


async def create(registry: httpx.AsyncClient, minter: Minter, **overrides: Any) -> dict[str, Any]:
    response = await registry.post(
        "/v1/dik/entries", json=dik_body(**overrides), headers=dinkes(minter)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def count_dik(database_url: str) -> int:
    return int(await scalar(database_url, "SELECT count(*) FROM dik_entries"))


def fields_of(response: httpx.Response) -> set[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return {error["field"] for error in response.json()["errors"]}


async def test_pelaksana_records_a_test_with_idempotency_and_audit(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    body = dik_body()
    headers = {**dinkes(minter), "Idempotency-Key": uuid.uuid4().hex}
    first = await registry.post("/v1/dik/entries", json=body, headers=headers)
    again = await registry.post("/v1/dik/entries", json=body, headers=headers)
    assert first.status_code == again.status_code == 201, first.text
    made = first.json()
    assert again.json()["id"] == made["id"]
    assert made["root_id"] == str(ROOT_ID)
    assert made["withheld_information"] == SECRET
    assert made["status"] == "active"
    assert first.headers["location"] == f"/v1/dik/manage/entries/{made['id']}"
    assert (
        await scalar(
            registry_database,
            "SELECT count(*) FROM dik_entries WHERE number = :n",
            n=body["number"],
        )
        == 1
    )
    assert (
        await scalar(
            registry_database,
            "SELECT count(*) FROM audit_log WHERE action = 'dik.created' AND object_id = :id",
            id=made["id"],
        )
        == 1
    )


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        # UU 14/2008 Pasal 20: a-f are not permanent.
        ({"exemption_until": None, "exemption_condition": None}, {"exemption_until"}),
        # PP 61/2010: law enforcement at most 30 years from the decree.
        ({"exemption_until": years_after("2026-01-20", 30, days=1)}, {"exemption_until"}),
        # The end after the decree.
        ({"exemption_until": "2026-01-19"}, {"exemption_until"}),
        # The decree when anything is withheld (PP 61/2010 surat penetapan).
        (
            {"decree_number": None, "decree_date": None, "decree_place": None},
            {"decree_number", "decree_date", "decree_place"},
        ),
        ({"conclusion": "partially_open", "signed_by_name": None}, {"signed_by_name"}),
        ({"legal_basis_number": "9"}, {"legal_basis_number"}),
        ({"legal_basis_letter": "j", "other_laws": None}, {"other_laws"}),
        ({"trigger": "on_request"}, {"trigger_reference"}),
        # Pydantic's own checks answer in the same shape.
        ({"legal_basis_letter": "k"}, {"legal_basis_letter"}),
        ({"withheld_information": ...}, {"withheld_information"}),
    ],
)
async def test_invalid_tests_are_422_with_field_errors_and_nothing_stored(
    registry: httpx.AsyncClient,
    minter: Minter,
    registry_database: str,
    overrides: dict[str, Any],
    fields: set[str],
) -> None:
    before = await count_dik(registry_database)
    response = await registry.post(
        "/v1/dik/entries", json=dik_body(**overrides), headers=dinkes(minter)
    )
    assert fields <= fields_of(response)
    assert await count_dik(registry_database) == before


@pytest.mark.parametrize(
    "overrides",
    [
        # Exactly 30 years is allowed; a condition instead of a date too.
        {"exemption_until": years_after("2026-01-20", 30)},
        {"exemption_until": None, "exemption_condition": "Sampai perkara diputus."},
        # g and h may be permanent (Pasal 20); a test concluding open needs no decree.
        {"legal_basis_letter": "h", "legal_basis_number": None, "exemption_until": None},
        {"conclusion": "open", "exemption_until": None, "decree_number": None},
    ],
)
async def test_lawful_variants_are_accepted(
    registry: httpx.AsyncClient, minter: Minter, overrides: dict[str, Any]
) -> None:
    await create(registry, minter, **overrides)


async def test_public_view_hides_the_test_and_lists_only_what_is_withheld(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    exempt = await create(registry, minter, year=2031)
    opened = await create(registry, minter, year=2031, conclusion="open", exemption_until=None)
    listing = await registry.get("/v1/dik/entries", params={"year": 2031, "root": str(ROOT_ID)})
    assert listing.status_code == 200
    assert listing.headers["cache-control"] == "public, max-age=60"
    items = listing.json()["items"]
    assert [item["id"] for item in items] == [exempt["id"]]
    assert not MANAGE_ONLY & set(items[0])
    assert SECRET not in listing.text
    one = await registry.get(f"/v1/dik/entries/{exempt['id']}")
    assert one.status_code == 200
    assert not MANAGE_ONLY & set(one.json())
    assert SECRET not in one.text
    assert one.json()["legal_basis_letter"] == "a"
    cached = await registry.get(
        f"/v1/dik/entries/{exempt['id']}", headers={"If-None-Match": one.headers["etag"]}
    )
    assert cached.status_code == 304
    assert (await registry.get(f"/v1/dik/entries/{opened['id']}")).status_code == 404
    by_letter = await registry.get(
        "/v1/dik/entries", params={"year": 2031, "legal_basis_letter": "h"}
    )
    assert by_letter.json()["items"] == []
    # The officials of the root see the whole test.
    whole = await registry.get(f"/v1/dik/manage/entries/{exempt['id']}", headers=disdik(minter))
    assert whole.status_code == 200
    assert whole.json()["withheld_information"] == SECRET
    assert whole.headers["cache-control"] == "private, no-cache"
    stranger = minter.headers([("ppid_utama", uuid.uuid4())])
    assert (
        await registry.get(f"/v1/dik/manage/entries/{exempt['id']}", headers=stranger)
    ).status_code == 404
    anonymous = await registry.get(f"/v1/dik/manage/entries/{exempt['id']}")
    assert anonymous.status_code == 401


async def test_a_root_can_keep_its_dik_to_its_officials(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    made = await create(registry, minter, year=2032)
    await execute(
        registry_database,
        "INSERT INTO dip_policies (root_id, publish_mode, dik_public, berkala_stale_days) "
        "VALUES (:root, 'verify', false, 30)",
        root=ROOT_ID,
    )
    try:
        params = {"year": "2032", "root": str(ROOT_ID)}
        anonymous = await registry.get("/v1/dik/entries", params=params)
        assert anonymous.status_code == 200
        assert anonymous.json()["items"] == []
        assert (await registry.get(f"/v1/dik/entries/{made['id']}")).status_code == 404
        official = await registry.get("/v1/dik/entries", params=params, headers=utama(minter))
        assert [i["id"] for i in official.json()["items"]] == [made["id"]]
        assert official.headers["cache-control"] == "private, no-cache"
        one = await registry.get(f"/v1/dik/entries/{made['id']}", headers=dinkes(minter))
        assert one.status_code == 200
        assert one.headers["cache-control"] == "private, no-cache"
    finally:
        await execute(registry_database, "DELETE FROM dip_policies WHERE root_id = :r", r=ROOT_ID)


async def test_an_exempt_test_withdraws_the_dip_entry_with_a_tombstone(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    entry_id = await add_dip_entry(registry_database)
    made = await create(registry, minter, from_entry_id=str(entry_id))
    assert made["dip_entry_id"] == str(entry_id)
    assert (
        await scalar(
            registry_database, "SELECT status FROM dip_entries WHERE id = :id", id=entry_id
        )
        == "withdrawn"
    )
    version = await scalar(
        registry_database,
        "SELECT reason FROM dip_entry_versions WHERE entry_id = :id AND action = 'withdraw'",
        id=entry_id,
    )
    assert made["id"] in version
    assert (
        await scalar(
            registry_database,
            "SELECT kind FROM dip_changes WHERE entry_id = :id ORDER BY seq DESC LIMIT 1",
            id=entry_id,
        )
        == "tombstone"
    )
    assert (
        await scalar(
            registry_database,
            "SELECT count(*) FROM audit_log "
            "WHERE action = 'dip_entry.withdraw' AND object_id = :id",
            id=str(entry_id),
        )
        == 1
    )
    # A second test cannot exempt an entry that has left the DIP.
    again = await registry.post(
        "/v1/dik/entries", json=dik_body(from_entry_id=str(entry_id)), headers=dinkes(minter)
    )
    assert again.status_code == 409
    # Opening it (UU Pasal 11(2)) puts the entry back in the public DIP.
    opened = await registry.post(
        f"/v1/dik/entries/{made['id']}/open",
        json={"reason": "Putusan Komisi Informasi No. 12/2026"},
        headers=utama(minter),
    )
    assert opened.status_code == 200, opened.text
    assert (
        await scalar(
            registry_database, "SELECT status FROM dip_entries WHERE id = :id", id=entry_id
        )
        == "published"
    )
    assert (
        await scalar(
            registry_database,
            "SELECT kind FROM dip_changes WHERE entry_id = :id ORDER BY seq DESC LIMIT 1",
            id=entry_id,
        )
        == "upsert"
    )


async def test_from_entry_id_must_be_a_dip_entry_the_caller_edits(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    other = await add_dip_entry(registry_database, unit_id=DISDIK_ID)
    response = await registry.post(
        "/v1/dik/entries", json=dik_body(from_entry_id=str(other)), headers=dinkes(minter)
    )
    assert response.status_code == 403
    unknown = await registry.post(
        "/v1/dik/entries", json=dik_body(from_entry_id=str(uuid.uuid4())), headers=dinkes(minter)
    )
    assert fields_of(unknown) == {"from_entry_id"}
    assert (
        await scalar(registry_database, "SELECT status FROM dip_entries WHERE id = :id", id=other)
        == "published"
    )


async def test_update_needs_if_match_and_checks_the_result(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    made = await create(registry, minter)
    path = f"/v1/dik/entries/{made['id']}"
    change = {"public_summary": "Ringkasan publik yang baru."}
    assert (await registry.patch(path, json=change, headers=dinkes(minter))).status_code == 428
    stale = {**dinkes(minter), "If-Match": '"nope"'}
    assert (await registry.patch(path, json=change, headers=stale)).status_code == 412
    current = await registry.get(f"/v1/dik/manage/entries/{made['id']}", headers=dinkes(minter))
    fresh = {**dinkes(minter), "If-Match": current.headers["etag"]}
    bad = await registry.patch(
        path, json={"exemption_until": None, "exemption_condition": None}, headers=fresh
    )
    assert fields_of(bad) == {"exemption_until"}
    assert (await registry.patch(path, json={"title": None}, headers=fresh)).status_code == 422
    done = await registry.patch(path, json=change, headers=fresh)
    assert done.status_code == 200, done.text
    assert done.json()["public_summary"] == change["public_summary"]
    assert done.headers["etag"] != current.headers["etag"]
    assert (
        await scalar(
            registry_database,
            "SELECT count(*) FROM audit_log WHERE action = 'dik.updated' AND object_id = :id",
            id=made["id"],
        )
        == 1
    )
    # Another unit's PPID Pelaksana of the same root may read it but not change it.
    other = {**disdik(minter), "If-Match": done.headers["etag"]}
    assert (await registry.patch(path, json=change, headers=other)).status_code == 403


async def test_open_and_withdraw_transitions(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    first = await create(registry, minter)
    reason = {"reason": "Putusan atasan PPID atas keberatan"}
    # Opening is the PPID Utama's (UU Pasal 11(2)).
    opening = f"/v1/dik/entries/{first['id']}/open"
    assert (await registry.post(opening, json=reason, headers=dinkes(minter))).status_code == 403
    assert (await registry.post(opening, json={}, headers=utama(minter))).status_code == 422
    opened = await registry.post(opening, json=reason, headers=utama(minter))
    assert opened.status_code == 200
    assert opened.json()["status"] == "opened"
    assert opened.json()["status_reason"] == reason["reason"]
    assert (await registry.get(f"/v1/dik/entries/{first['id']}")).status_code == 404
    again = await registry.post(opening, json=reason, headers=utama(minter))
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/dik-invalid-transition"
    withdraw_opened = await registry.post(
        f"/v1/dik/entries/{first['id']}/withdraw", json=reason, headers=dinkes(minter)
    )
    assert withdraw_opened.status_code == 409

    second = await create(registry, minter)
    withdrawing = f"/v1/dik/entries/{second['id']}/withdraw"
    assert (
        await registry.post(withdrawing, json=reason, headers=disdik(minter))
    ).status_code == 403
    withdrawn = await registry.post(
        withdrawing, json={"reason": "Salah catat"}, headers=dinkes(minter)
    )
    assert withdrawn.json()["status"] == "withdrawn"
    assert (
        await registry.post(withdrawing, json=reason, headers=dinkes(minter))
    ).status_code == 409
    assert (
        await scalar(
            registry_database,
            "SELECT count(*) FROM audit_log WHERE object_id IN (:a, :b) "
            "AND action IN ('dik.opened', 'dik.withdrawn')",
            a=first["id"],
            b=second["id"],
        )
        == 2
    )


async def test_permissions_of_writes(registry: httpx.AsyncClient, minter: Minter) -> None:
    body = dik_body()
    # A Disdik PPID Pelaksana records nothing for Dinkes; the PPID Utama for any unit.
    assert (
        await registry.post("/v1/dik/entries", json=body, headers=disdik(minter))
    ).status_code == 403
    assert (await registry.post("/v1/dik/entries", json=body)).status_code == 401
    auditor = minter.official(demo_account("auditor"))
    assert (await registry.post("/v1/dik/entries", json=body, headers=auditor)).status_code == 403
    by_utama = await registry.post("/v1/dik/entries", json=body, headers=utama(minter))
    assert by_utama.status_code == 201
    taken = await registry.post("/v1/dik/entries", json=body, headers=utama(minter))
    assert taken.status_code == 409
    assert taken.json()["type"] == "/problems/dik-number-taken"
    unknown_unit = dik_body(unit_id=str(uuid.uuid4()))
    assert (
        await registry.post("/v1/dik/entries", json=unknown_unit, headers=utama(minter))
    ).status_code == 404


async def test_public_list_pages_and_filters_by_unit(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    made = [await create(registry, minter, year=2040) for _ in range(3)]
    first = await registry.get("/v1/dik/entries", params={"year": 2040, "limit": 2})
    assert len(first.json()["items"]) == 2
    assert 'rel="next"' in first.headers["link"]
    rest = await registry.get(
        "/v1/dik/entries", params={"year": 2040, "limit": 2, "cursor": first.json()["next_cursor"]}
    )
    ids = [i["id"] for i in first.json()["items"] + rest.json()["items"]]
    assert ids == [m["id"] for m in reversed(made)]
    by_unit = await registry.get(
        "/v1/dik/entries", params={"year": 2040, "unit_id": str(DISDIK_ID)}
    )
    assert by_unit.json()["items"] == []
    by_root_unit = await registry.get(
        "/v1/dik/entries", params={"year": 2040, "unit_id": str(ROOT_ID)}
    )
    assert len(by_root_unit.json()["items"]) == 3
    managed = await registry.get(
        "/v1/dik/manage/entries", params={"root": str(ROOT_ID)}, headers=dinkes(minter)
    )
    assert managed.status_code == 200
    assert {"conclusion", "status_reason"} <= set(managed.json()["items"][0])
