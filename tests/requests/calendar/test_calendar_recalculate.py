"""`POST /v1/calendar/{root_id}/recalculate`: stored deadlines move only when asked
(DOMAIN.md 14.3), each moved request with a history event and an audit record."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from requests_service.core.models import InformationRequest, RequestState

from tests.requests.calendar.support import (
    BASE,
    EN,
    POLICY,
    field_messages,
    insert_request,
    seed,
    version,
)
from tests.requests.harness import ROOT_ID, Minter, official
from tests.services.support import rows

RECALCULATE = f"{BASE}/recalculate"
REASON = {"reason": "Penutupan layanan 17 Maret 2026 (SE Wali Kota No. 3/2026)"}
# The closure the test adds: Tue 17 Mar 2026.
CLOSURE = {
    "date": "2026-03-17",
    "name": "Penutupan layanan",
    "kind": "closure",
    "source": "SE Wali Kota No. 3/2026",
}


async def stored(database_url: str, request_id: uuid.UUID) -> dict[str, Any]:
    found = await rows(
        database_url,
        "SELECT receipt_date, notice_due, extended_due, time_zone, calendar_version, version "
        "FROM information_requests WHERE id = :id",
        id=request_id,
    )
    return {key: str(value) for key, value in found[0]._mapping.items()}


async def test_who_may_recalculate(requests_client: httpx.AsyncClient, minter: Minter) -> None:
    assert (await requests_client.post(RECALCULATE, json=REASON)).status_code == 401
    for local in ("ppid.dinkes", "petugas"):
        refused = await requests_client.post(
            RECALCULATE, json=REASON, headers=official(minter, local)
        )
        assert refused.status_code == 403
    admin = official(minter, "admin")
    other = await requests_client.post(
        f"/v1/calendar/{uuid.uuid4()}/recalculate", json=REASON, headers=admin
    )
    assert other.status_code == 404
    missing = await requests_client.post(RECALCULATE, json={}, headers=admin)
    assert field_messages(missing) == {"reason": "Wajib diisi."}
    blank = await requests_client.post(RECALCULATE, json={"reason": " "}, headers={**admin, **EN})
    assert field_messages(blank) == {"reason": "Must be at least 1 characters."}


async def test_deadlines_move_only_through_the_recalculation(
    requests_client: httpx.AsyncClient, minter: Minter, requests_database: str
) -> None:
    admin, utama = official(minter, "admin"), official(minter, "ppid.utama")
    await seed(requests_client, admin, 2026)
    assert await version(requests_client) == 1

    async def old(**fields: Any) -> InformationRequest:
        # Counted before the holidays were known: Mon 16 Mar + 10 plain working days = 30 Mar.
        values: dict[str, Any] = {
            "received_at": "2026-03-16T10:00:00+07:00",
            "receipt_date": "2026-03-16",
            "notice_due": "2026-03-30",
            **fields,
        }
        return await insert_request(requests_database, **values)

    pending = await old()
    extended = await old(
        received_at="2026-03-16T10:05:00+07:00",
        extended_due="2026-04-08",
        state=RequestState.EXTENDED,
    )
    # Already right for the calendar it will be recalculated with: only its version moves.
    right = await old(
        received_at="2026-03-16T11:00:00+07:00",
        notice_due="2026-04-08",
        state=RequestState.RECEIVED,
    )
    noticed = await old(state=RequestState.NOTICE_SENT)
    closed = await old(state=RequestState.CLOSED)
    elsewhere = await old(root_id=uuid.uuid4())

    # A calendar change alone leaves every stored deadline as it was.
    added = await requests_client.post(f"{BASE}/days", json=CLOSURE, headers=admin)
    assert added.status_code == 201
    assert await version(requests_client) == 2
    current = await old(calendar_version=2)  # computed with version 2 (here: not really)
    everyone = (pending, extended, right, noticed, closed, elsewhere, current)
    before = {request.id: await stored(requests_database, request.id) for request in everyone}
    assert before[pending.id]["notice_due"] == "2026-03-30"
    assert before[pending.id]["calendar_version"] == "0"
    assert (await rows(requests_database, "SELECT id FROM request_events")) == []

    done = await requests_client.post(RECALCULATE, json=REASON, headers=utama)
    assert done.status_code == 200, done.text
    result = done.json()
    assert (result["root_id"], result["calendar_version"]) == (str(ROOT_ID), 2)
    assert (result["checked"], result["version_only"]) == (3, 1)
    # Mon 16 Mar with the 17th closed too: 25(1) 26(2) 27(3) 30(4) 31(5) 1Apr(6) 2(7)
    # 6(8) 7(9) 8(10); extended: 9(11) 10(12) 13(13) 14(14) 15(15) 16(16) 17(17).
    changed = {item["id"]: item for item in result["changed"]}
    assert list(changed) == [str(pending.id), str(extended.id)]
    assert changed[str(pending.id)]["registration_number"] == pending.registration_number
    assert changed[str(pending.id)]["old"] == {
        "receipt_date": "2026-03-16",
        "notice_due": "2026-03-30",
        "extended_due": None,
        "time_zone": "Asia/Jakarta",
        "calendar_version": 0,
    }
    assert changed[str(pending.id)]["new"] == {
        "receipt_date": "2026-03-16",
        "notice_due": "2026-04-08",
        "extended_due": None,
        "time_zone": "Asia/Jakarta",
        "calendar_version": 2,
    }
    assert changed[str(extended.id)]["new"]["extended_due"] == "2026-04-17"
    assert changed[str(extended.id)]["state"] == "extended"

    after = {request.id: await stored(requests_database, request.id) for request in everyone}
    assert after[pending.id] == {
        **before[pending.id],
        "notice_due": "2026-04-08",
        "calendar_version": "2",
        "version": "2",
    }
    assert after[extended.id]["extended_due"] == "2026-04-17"
    # Same dates: no event, but a new version (the view shows the calendar version).
    assert after[right.id] == {
        **before[right.id],
        "calendar_version": "2",
        "version": str(int(str(before[right.id]["version"])) + 1),
    }
    for untouched in (noticed, closed, elsewhere, current):
        assert after[untouched.id] == before[untouched.id]

    events = await rows(
        requests_database,
        "SELECT request_id, version, action, from_state, to_state, actor_type, actor_role, "
        "note, details FROM request_events ORDER BY created_at, request_id",
    )
    assert {event.request_id for event in events} == {pending.id, extended.id}
    event = next(event for event in events if event.request_id == pending.id)
    assert (event.version, event.action, event.from_state, event.to_state) == (
        2,
        "recalculate",
        "in_process",
        "in_process",
    )
    assert (event.actor_type, event.actor_role, event.note) == (
        "official",
        "ppid_utama",
        REASON["reason"],
    )
    assert event.details["old_notice_due"] == "2026-03-30"
    assert event.details["new_notice_due"] == "2026-04-08"

    audit = await rows(
        requests_database,
        "SELECT action, object_id, details FROM audit_log "
        "WHERE action IN ('calendar.recalculate', 'request.recalculate') ORDER BY id",
    )
    assert [row.action for row in audit] == [
        "request.recalculate",
        "request.recalculate",
        "calendar.recalculate",
    ]
    assert audit[-1].object_id == str(ROOT_ID)
    assert audit[-1].details["changed"] == [str(pending.id), str(extended.id)]
    assert audit[-1].details["reason"] == REASON["reason"]

    nothing = (await requests_client.post(RECALCULATE, json=REASON, headers=admin)).json()
    assert (nothing["checked"], nothing["changed"]) == (0, [])


async def test_a_new_time_zone_is_a_change_of_the_clock(
    requests_client: httpx.AsyncClient, minter: Minter, requests_database: str
) -> None:
    """10:00 WIB is 11:00 WITA, the same day: the dates stay, their zone moves."""
    request = await insert_request(
        requests_database,
        received_at="2026-07-06T10:00:00+07:00",
        receipt_date="2026-07-06",
        notice_due="2026-07-20",
        calendar_version=await version(requests_client),
    )
    current = await requests_client.get(POLICY)
    wita = {**current.json(), "time_zone": "Asia/Makassar"}
    for key in ("root_id", "version", "updated_at"):
        del wita[key]
    put = await requests_client.put(
        POLICY,
        json=wita,
        headers={**official(minter, "admin"), "If-Match": current.headers["etag"]},
    )
    assert put.status_code in (200, 201), put.text
    assert (await stored(requests_database, request.id))["time_zone"] == "Asia/Jakarta"
    done = await requests_client.post(RECALCULATE, json=REASON, headers=official(minter, "admin"))
    moved = next(item for item in done.json()["changed"] if item["id"] == str(request.id))
    assert moved["new"] == {**moved["old"], "time_zone": "Asia/Makassar", "calendar_version": 3}
    assert (await stored(requests_database, request.id))["time_zone"] == "Asia/Makassar"
