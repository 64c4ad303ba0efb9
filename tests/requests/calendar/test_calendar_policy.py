"""`GET/PUT /v1/calendar/{root_id}/policy`: the defaults, who may set it, If-Match, versions."""

from __future__ import annotations

import uuid

import httpx

from tests.requests.calendar.support import EN, POLICY, audit_actions, field_messages
from tests.requests.harness import DINKES_ID, ROOT_ID, Minter, official
from tests.requests.support import Json, requester
from tests.services.support import rows

WIT: Json = {
    "time_zone": "Asia/Jayapura",
    "weekend_days": [7, 6],
    "count_cuti_bersama_as_holiday": False,
    "service_start": "07:30",
    "service_end": "15:30",
}


async def test_defaults_without_a_policy(requests_client: httpx.AsyncClient) -> None:
    response = await requests_client.get(POLICY)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "root_id": str(ROOT_ID),
        "time_zone": "Asia/Jakarta",  # the demo root's zone in auth's tree
        "weekend_days": [6, 7],
        "count_cuti_bersama_as_holiday": True,
        "service_start": "08:00:00",
        "service_end": "16:00:00",
        "version": 0,
        "updated_at": None,
    }
    assert response.headers["cache-control"] == "public, max-age=60"
    again = await requests_client.get(POLICY, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    for unknown in (uuid.uuid4(), DINKES_ID):  # no such unit; a unit that is not a root
        missing = await requests_client.get(f"/v1/calendar/{unknown}/policy")
        assert missing.status_code == 404
        assert missing.json()["type"] == "/problems/not-found"


async def test_who_may_set_it(requests_client: httpx.AsyncClient, minter: Minter) -> None:
    assert (await requests_client.put(POLICY, json=WIT)).status_code == 401
    for local in ("ppid.dinkes", "petugas", "auditor"):
        refused = await requests_client.put(POLICY, json=WIT, headers=official(minter, local))
        assert refused.status_code == 403, local
        assert refused.json()["type"] == "/problems/forbidden"
    elsewhere = await requests_client.put(
        f"/v1/calendar/{uuid.uuid4()}/policy", json=WIT, headers=official(minter, "admin")
    )
    assert elsewhere.status_code == 404
    account = requester(minter)
    assert (await requests_client.put(POLICY, json=WIT, headers=account)).status_code == 403
    assert (await requests_client.get(POLICY)).json()["version"] == 0


async def test_validation_in_indonesian_and_english(
    requests_client: httpx.AsyncClient, minter: Minter
) -> None:
    admin = official(minter, "admin")

    async def put(body: Json, extra: dict[str, str] | None = None) -> httpx.Response:
        return await requests_client.put(POLICY, json=body, headers={**admin, **(extra or {})})

    zone = field_messages(await put({**WIT, "time_zone": "Asia/Singapore"}))
    assert zone["time_zone"].startswith("Harus salah satu dari:")
    assert "Asia/Makassar" in zone["time_zone"]
    assert field_messages(await put({**WIT, "time_zone": "UTC"}, EN))["time_zone"].startswith(
        "Must be one of:"
    )
    day = field_messages(await put({**WIT, "weekend_days": [6, 8]}))
    assert day == {"weekend_days.1": "Harus paling banyak 7."}
    hours = field_messages(await put({**WIT, "service_start": "16:00", "service_end": "08:00"}))
    assert hours == {"service_end": "Akhir jam layanan harus setelah awalnya."}
    hours_en = field_messages(await put({**WIT, "service_end": "07:30"}, EN))
    assert hours_en == {"service_end": "The end of service hours must follow their start."}
    twice = field_messages(await put({**WIT, "weekend_days": [6, 6]}, EN))
    assert twice == {"weekend_days": "Name each day once."}
    offset = field_messages(await put({**WIT, "service_start": "07:30+09:00"}))
    assert set(offset) == {"service_start"}
    missing = field_messages(await put({"time_zone": "Asia/Jakarta"}))
    assert missing["weekend_days"] == "Wajib diisi."
    assert (await requests_client.get(POLICY)).json()["version"] == 0


async def test_first_put_creates_then_if_match_guards_each_change(
    requests_client: httpx.AsyncClient, minter: Minter, requests_database: str
) -> None:
    first = await requests_client.put(POLICY, json=WIT, headers=official(minter, "admin"))
    assert first.status_code == 201, first.text
    made = first.json()
    assert (made["time_zone"], made["weekend_days"], made["version"]) == (
        "Asia/Jayapura",
        [6, 7],
        1,
    )
    assert (made["service_start"], made["service_end"]) == ("07:30:00", "15:30:00")
    assert made["updated_at"] is not None
    shown = await requests_client.get(POLICY)
    assert shown.json() == made
    assert shown.headers["etag"] == first.headers["etag"]

    utama = official(minter, "ppid.utama")
    back = {**WIT, "time_zone": "Asia/Jakarta", "count_cuti_bersama_as_holiday": True}
    required = await requests_client.put(POLICY, json=back, headers=utama)
    assert (required.status_code, required.json()["type"]) == (
        428,
        "/problems/precondition-required",
    )
    stale = await requests_client.put(POLICY, json=back, headers={**utama, "If-Match": '"old"'})
    assert stale.status_code == 412
    assert (await requests_client.get(POLICY)).json()["version"] == 1

    changed = await requests_client.put(
        POLICY, json=back, headers={**utama, "If-Match": shown.headers["etag"]}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["time_zone"], changed.json()["version"]) == ("Asia/Jakarta", 2)
    # The same values again change nothing: no new version, no audit record.
    same = await requests_client.put(
        POLICY, json=back, headers={**utama, "If-Match": changed.headers["etag"]}
    )
    assert (same.status_code, same.json()["version"]) == (200, 2)
    assert same.headers["etag"] == changed.headers["etag"]

    assert await audit_actions(requests_database, "calendar_policy") == [
        "calendar_policy.set",
        "calendar_policy.set",
    ]
    found = await rows(
        requests_database,
        "SELECT actor_type, unit_id, details FROM audit_log "
        "WHERE object_type = 'calendar_policy' ORDER BY id",
    )
    assert [row.actor_type for row in found] == ["official:admin", "official:ppid_utama"]
    assert {row.unit_id for row in found} == {ROOT_ID}
    assert [row.details["version"] for row in found] == [1, 2]
