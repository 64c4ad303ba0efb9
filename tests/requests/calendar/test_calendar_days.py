"""`/v1/calendar/{root_id}/days`: add, read, change, confirm and remove calendar days."""

from __future__ import annotations

import uuid

import httpx

from tests.requests.calendar.support import BASE, EN, audit_actions, field_messages, version
from tests.requests.harness import ROOT_ID, Minter, official
from tests.requests.support import Json
from tests.services.support import rows

DAYS = f"{BASE}/days"
CLOSURE: Json = {
    "date": "2026-11-27",
    "name": "Pemungutan suara pilkada",
    "kind": "closure",
    "source": "Keputusan Wali Kota No. 100/2026",
}
SATURDAY: Json = {
    "date": "2026-03-28",
    "name": "Pelayanan Sabtu pengganti cuti bersama",
    "kind": "extra_working_day",
    "source": "SE Wali Kota No. 800/12/2026",
}
ESTIMATED: Json = {
    "date": "2027-03-10",
    "name": "Hari Raya Idul Fitri",
    "kind": "public_holiday",
    "source": "holidays==0.108",
    "is_estimated": True,
}


async def add(client: httpx.AsyncClient, headers: dict[str, str], body: Json) -> httpx.Response:
    response = await client.post(DAYS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response


async def test_adding_days(
    requests_client: httpx.AsyncClient, minter: Minter, requests_database: str
) -> None:
    admin = official(minter, "admin")
    assert (await requests_client.post(DAYS, json=CLOSURE)).status_code == 401
    dinkes = official(minter, "ppid.dinkes")
    assert (await requests_client.post(DAYS, json=CLOSURE, headers=dinkes)).status_code == 403
    elsewhere = await requests_client.post(
        f"/v1/calendar/{uuid.uuid4()}/days", json=CLOSURE, headers=admin
    )
    assert elsewhere.status_code == 404
    bad = await requests_client.post(DAYS, json={**CLOSURE, "kind": "weekend"}, headers=admin)
    assert field_messages(bad)["kind"].startswith("Harus salah satu dari:")
    blank = await requests_client.post(DAYS, json={**CLOSURE, "name": "  "}, headers=admin)
    assert field_messages(blank) == {"name": "Minimal 1 karakter."}
    no_date = await requests_client.post(
        DAYS, json={**CLOSURE, "date": "27-11-2026"}, headers={**admin, **EN}
    )
    assert field_messages(no_date)["date"].startswith("Must be")
    assert await version(requests_client) == 0

    made = await add(requests_client, admin, CLOSURE)
    day = made.json()
    assert {key: day[key] for key in CLOSURE} == CLOSURE
    assert (day["root_id"], day["is_estimated"]) == (str(ROOT_ID), False)
    assert made.headers["location"] == f"{DAYS}/{day['id']}"
    assert await version(requests_client) == 1

    duplicate = await requests_client.post(DAYS, json=CLOSURE, headers=admin)
    assert duplicate.status_code == 409
    assert duplicate.json()["type"] == "/problems/calendar-day-exists"
    # The same date with another kind is another day.
    await add(requests_client, official(minter, "ppid.utama"), {**CLOSURE, "kind": "cuti_bersama"})
    assert await version(requests_client) == 2

    # A retried create with the same Idempotency-Key gives the first answer, once.
    keyed = {**admin, "Idempotency-Key": "saturday-1"}
    first = await requests_client.post(DAYS, json=SATURDAY, headers=keyed)
    retry = await requests_client.post(DAYS, json=SATURDAY, headers=keyed)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert await version(requests_client) == 3

    listed = await requests_client.get(
        "/v1/calendar/holidays", params={"root": str(ROOT_ID), "year": "2026"}
    )
    # Date order; the id breaks a tie.
    assert sorted((d["date"], d["kind"]) for d in listed.json()["items"]) == [
        ("2026-03-28", "extra_working_day"),
        ("2026-11-27", "closure"),
        ("2026-11-27", "cuti_bersama"),
    ]
    assert await audit_actions(requests_database, "calendar_day") == ["calendar_day.create"] * 3
    audit = await rows(
        requests_database,
        "SELECT details, actor_type FROM audit_log WHERE object_id = :id",
        id=day["id"],
    )
    assert audit[0].actor_type == "official:admin"
    assert audit[0].details["date"] == "2026-11-27"
    assert audit[0].details["calendar_version"] == 1


async def test_reading_and_changing_a_day(
    requests_client: httpx.AsyncClient, minter: Minter, requests_database: str
) -> None:
    admin = official(minter, "admin")
    body = {**CLOSURE, "date": "2026-10-05", "name": "Penutupan sementara"}
    day = (await add(requests_client, admin, body)).json()
    url = f"{DAYS}/{day['id']}"
    shown = await requests_client.get(url)
    assert (shown.status_code, shown.json()) == (200, day)
    assert (
        await requests_client.get(url, headers={"If-None-Match": shown.headers["etag"]})
    ).status_code == 304
    assert (await requests_client.get(f"{DAYS}/{uuid.uuid4()}")).status_code == 404
    other_root = f"/v1/calendar/{uuid.uuid4()}/days/{day['id']}"
    assert (await requests_client.get(other_root)).status_code == 404

    rename = {"name": "Penutupan layanan: perbaikan gedung"}
    assert (await requests_client.patch(url, json=rename)).status_code == 401
    assert (
        await requests_client.patch(url, json=rename, headers=official(minter, "ppid.disdik"))
    ).status_code == 403
    assert (await requests_client.patch(url, json=rename, headers=admin)).status_code == 428
    stale = await requests_client.patch(url, json=rename, headers={**admin, "If-Match": '"x"'})
    assert stale.status_code == 412
    null = await requests_client.patch(
        url, json={"name": None}, headers={**admin, "If-Match": shown.headers["etag"]}
    )
    assert field_messages(null) == {"name": "Tidak boleh kosong (null)."}
    unknown = await requests_client.patch(
        url, json={"kind": "closure"}, headers={**admin, "If-Match": shown.headers["etag"]}
    )
    assert field_messages(unknown) == {"kind": "Isian ini tidak dikenal."}

    before = await version(requests_client)
    renamed = await requests_client.patch(
        url, json=rename, headers={**admin, "If-Match": shown.headers["etag"]}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == rename["name"]
    assert renamed.headers["etag"] == (await requests_client.get(url)).headers["etag"]
    assert await version(requests_client) == before + 1
    # Nothing changes: no new version.
    again = await requests_client.patch(
        url, json=rename, headers={**admin, "If-Match": renamed.headers["etag"]}
    )
    assert (again.status_code, await version(requests_client)) == (200, before + 1)

    # Moving onto a date that holds a day of the same kind is a conflict.
    taken = await requests_client.patch(
        url, json={"date": CLOSURE["date"]}, headers={**admin, "If-Match": renamed.headers["etag"]}
    )
    assert taken.status_code == 409
    moved = await requests_client.patch(
        url, json={"date": "2026-10-06"}, headers={**admin, "If-Match": renamed.headers["etag"]}
    )
    assert (moved.status_code, moved.json()["date"]) == (200, "2026-10-06")
    assert await version(requests_client) == before + 2
    audit = await rows(
        requests_database,
        "SELECT action, details FROM audit_log WHERE object_id = :id ORDER BY id",
        id=day["id"],
    )
    assert [row.action for row in audit] == [
        "calendar_day.create",
        "calendar_day.update",
        "calendar_day.update",
    ]
    assert audit[-1].details["from_date"] == "2026-10-05"
    assert audit[-1].details["changed"] == ["date"]


async def test_confirming_an_estimate_and_removing_a_day(
    requests_client: httpx.AsyncClient, minter: Minter, requests_database: str
) -> None:
    utama = official(minter, "ppid.utama")
    estimate = (await add(requests_client, utama, ESTIMATED)).json()
    firm = (await add(requests_client, utama, {**CLOSURE, "date": "2026-12-31"})).json()
    decree = {"source": "SKB 3 Menteri No. 1/2027", "date": "2027-03-11"}
    url = f"{DAYS}/{estimate['id']}/confirm"
    assert (await requests_client.post(url, json=decree)).status_code == 401
    forbidden = await requests_client.post(url, json=decree, headers=official(minter, "petugas"))
    assert forbidden.status_code == 403
    assert field_messages(await requests_client.post(url, json={}, headers=utama)) == {
        "source": "Wajib diisi."
    }
    not_estimated = await requests_client.post(
        f"{DAYS}/{firm['id']}/confirm", json=decree, headers=utama
    )
    assert not_estimated.status_code == 409
    assert not_estimated.json()["type"] == "/problems/calendar-day-not-estimated"
    stale = await requests_client.post(url, json=decree, headers={**utama, "If-Match": '"x"'})
    assert stale.status_code == 412

    before = await version(requests_client)
    confirmed = await requests_client.post(url, json=decree, headers=utama)
    assert confirmed.status_code == 200, confirmed.text
    assert {k: confirmed.json()[k] for k in ("date", "source", "is_estimated", "name")} == {
        "date": "2027-03-11",
        "source": decree["source"],
        "is_estimated": False,
        "name": "Hari Raya Idul Fitri",
    }
    assert await version(requests_client) == before + 1
    again = await requests_client.post(url, json=decree, headers=utama)
    assert again.status_code == 409

    # Removal: an optional If-Match, a new version, gone afterwards.
    day_url = f"{DAYS}/{firm['id']}"
    assert (await requests_client.delete(day_url)).status_code == 401
    assert (
        await requests_client.delete(day_url, headers={**utama, "If-Match": '"x"'})
    ).status_code == 412
    gone = await requests_client.delete(day_url, headers=utama)
    assert gone.status_code == 204
    assert (await requests_client.get(day_url)).status_code == 404
    assert (await requests_client.delete(day_url, headers=utama)).status_code == 404
    assert await version(requests_client) == before + 2

    removals = await rows(
        requests_database, "SELECT date, kind FROM calendar_day_removals ORDER BY date"
    )
    # The confirmation moved the estimate away from the 10th; the closure was deleted.
    assert [(str(r.date), r.kind) for r in removals] == [
        ("2026-10-05", "closure"),
        ("2026-12-31", "closure"),
        ("2027-03-10", "public_holiday"),
    ]
    actions = await rows(
        requests_database,
        "SELECT action FROM audit_log WHERE object_id IN (:a, :b) ORDER BY id",
        a=estimate["id"],
        b=firm["id"],
    )
    assert [row.action for row in actions] == [
        "calendar_day.create",
        "calendar_day.create",
        "calendar_day.confirm",
        "calendar_day.delete",
    ]
