"""`POST /v1/calendar/{root_id}/seed`: the `holidays` package into a root's calendar, and
the diff when an admin already confirmed, corrected, added or removed days."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
from requests_service.calendar.seed import package_days

from tests.requests.calendar.support import BASE, EN, audit_actions, field_messages, seed, version
from tests.requests.harness import ROOT_ID, Minter, official
from tests.requests.support import Json
from tests.services.support import rows

SOURCE = "holidays==0.108"


def dates(days: list[Json]) -> list[tuple[str, str]]:
    return [(day["date"], day["kind"]) for day in days]


async def day_id(database_url: str, date: str, kind: str) -> str:
    found = await rows(
        database_url,
        "SELECT id FROM calendar_days WHERE root_id = :root AND date = :date AND kind = :kind",
        root=ROOT_ID,
        date=dt.date.fromisoformat(date),
        kind=kind,
    )
    return str(found[0].id)


async def test_who_may_seed(requests_client: httpx.AsyncClient, minter: Minter) -> None:
    url = f"{BASE}/seed"
    assert (await requests_client.post(url, json={"year": 2026})).status_code == 401
    for local in ("ppid.dinkes", "atasan"):
        headers = official(minter, local)
        assert (
            await requests_client.post(url, json={"year": 2026}, headers=headers)
        ).status_code == 403
    admin = official(minter, "admin")
    other = await requests_client.post(
        f"/v1/calendar/{uuid.uuid4()}/seed", json={"year": 2026}, headers=admin
    )
    assert other.status_code == 404
    old = await requests_client.post(url, json={"year": 1900}, headers=admin)
    assert field_messages(old) == {"year": "Harus paling sedikit 1946."}
    far = await requests_client.post(url, json={"year": 2300}, headers={**admin, **EN})
    assert field_messages(far) == {"year": "Must be less than or equal to 2100."}
    assert await version(requests_client) == 0


async def test_first_seed_adds_the_year_then_changes_nothing(
    requests_client: httpx.AsyncClient, minter: Minter, requests_database: str
) -> None:
    admin = official(minter, "admin")
    first = await seed(requests_client, admin, 2026)
    expected = [(str(day.date), str(day.kind)) for day in package_days(2026)]
    assert len(expected) == 25  # 17 public holidays and 8 cuti bersama
    assert dates(first["added"]) == expected
    assert (first["source"], first["year"], first["calendar_version"]) == (SOURCE, 2026, 1)
    assert first["already_present"] == first["differing"] == first["only_in_table"] == []
    assert first["removed_by_admin"] == []
    added = {(day["date"], day["kind"]): day for day in first["added"]}
    assert added[("2026-03-18", "cuti_bersama")]["name"] == "Cuti Bersama Hari Suci Nyepi"
    assert added[("2026-03-19", "public_holiday")]["name"] == "Hari Suci Nyepi"
    assert added[("2026-03-21", "public_holiday")]["is_estimated"] is False

    listed = await requests_client.get(
        "/v1/calendar/holidays", params={"root": str(ROOT_ID), "year": "2026", "limit": 200}
    )
    items = listed.json()["items"]
    assert len(items) == 25
    assert {item["source"] for item in items} == {SOURCE}

    again = await seed(requests_client, official(minter, "ppid.utama"), 2026)
    assert again["added"] == []
    assert dates(again["already_present"]) == expected
    assert again["calendar_version"] == 1
    assert await version(requests_client) == 1
    assert await audit_actions(requests_database, "calendar") == ["calendar.seed"] * 2


async def test_estimates_and_what_admins_changed_are_kept(
    requests_client: httpx.AsyncClient, minter: Minter, requests_database: str
) -> None:
    admin = official(minter, "admin")
    first = await seed(requests_client, admin, 2027)
    estimated = {day["date"] for day in first["added"] if day["is_estimated"]}
    assert {"2027-03-10", "2027-03-11", "2027-05-17"} <= estimated
    fitri = next(day for day in first["added"] if day["date"] == "2027-03-10")
    assert fitri["name"] == "Hari Raya Idul Fitri"  # the "(perkiraan)" label is the flag
    start = await version(requests_client)

    # The SKB confirms Idul Fitri, moves Idul Adha a day earlier; the Keppres drops the
    # Christmas cuti bersama; the name of New Year is corrected; a local election day.
    days_url = f"{BASE}/days"
    fitri_id = await day_id(requests_database, "2027-03-10", "public_holiday")
    adha_id = await day_id(requests_database, "2027-05-17", "public_holiday")
    natal_id = await day_id(requests_database, "2027-12-24", "cuti_bersama")
    year_id = await day_id(requests_database, "2027-01-01", "public_holiday")
    skb = {"source": "SKB 3 Menteri No. 2/2026"}
    for url, body in (
        (f"{days_url}/{fitri_id}/confirm", skb),
        (f"{days_url}/{adha_id}/confirm", {**skb, "date": "2027-05-16"}),
    ):
        assert (await requests_client.post(url, json=body, headers=admin)).status_code == 200
    assert (
        await requests_client.delete(f"{days_url}/{natal_id}", headers=admin)
    ).status_code == 204
    etag = (await requests_client.get(f"{days_url}/{year_id}")).headers["etag"]
    renamed = await requests_client.patch(
        f"{days_url}/{year_id}",
        json={"name": "Tahun Baru 2027 Masehi"},
        headers={**admin, "If-Match": etag},
    )
    assert renamed.status_code == 200
    election = {
        "date": "2027-02-10",
        "name": "Pemungutan suara",
        "kind": "public_holiday",
        "source": "Keppres",
    }
    closure = {**election, "kind": "closure", "date": "2027-02-11"}
    for body in (election, closure):
        assert (await requests_client.post(days_url, json=body, headers=admin)).status_code == 201
    changed = await version(requests_client)
    assert changed == start + 6

    again = await seed(requests_client, admin, 2027)
    assert again["added"] == []
    assert again["calendar_version"] == changed
    assert await version(requests_client) == changed
    differing = {
        (item["package"]["date"], item["package"]["kind"]): item for item in again["differing"]
    }
    assert sorted(differing) == [
        ("2027-01-01", "public_holiday"),
        ("2027-03-10", "public_holiday"),
    ]
    fixed = differing[("2027-03-10", "public_holiday")]
    assert (fixed["package"]["is_estimated"], fixed["table"]["is_estimated"]) == (True, False)
    assert fixed["table"]["source"] == skb["source"]
    assert differing[("2027-01-01", "public_holiday")]["table"]["name"] == "Tahun Baru 2027 Masehi"
    assert dates(again["removed_by_admin"]) == [
        ("2027-05-17", "public_holiday"),
        ("2027-12-24", "cuti_bersama"),
    ]
    assert dates(again["only_in_table"]) == [
        ("2027-02-10", "public_holiday"),
        ("2027-05-16", "public_holiday"),
    ]
    expected = {(str(day.date), str(day.kind)) for day in package_days(2027)}
    assert len(again["already_present"]) == len(expected) - 4

    # Deleting a package day and adding it again: the next seed finds it present.
    natal = {
        "date": "2027-12-24",
        "name": "Cuti Bersama Hari Raya Natal",
        "kind": "cuti_bersama",
        "source": "Keppres No. 9/2026",
    }
    assert (await requests_client.post(days_url, json=natal, headers=admin)).status_code == 201
    third = await seed(requests_client, admin, 2027)
    assert dates(third["removed_by_admin"]) == [("2027-05-17", "public_holiday")]
    assert ("2027-12-24", "cuti_bersama") in dates(third["already_present"])
