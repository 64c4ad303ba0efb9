"""The state machine (DOMAIN.md 9): the happy path, each transition and its preconditions;
every refusal leaves the request, its history and its audit trail as they were."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from requests_service.calendar.clock import WorkCalendar
from requests_service.core.models import RequestFileKind, RequestState

from tests.requests.harness import DINKES_ID, DISDIK_ID, ROOT_ID, Minter, official
from tests.requests.support import ZONE, Json, Made, make_request, new_request
from tests.requests.workflow.support import (
    act,
    add_delivered_file,
    ok,
    problem,
    refused,
    snapshot,
)
from tests.services.support import execute, scalar

GRANTED_SOFTCOPY: Json = {
    "outcome": "granted_full",
    "available_forms": ["softcopy"],
    "signatory_name": "dr. Contoh Sehat",
}
INVALID = "request-invalid-transition"


def actions_of(view: Json) -> list[str]:
    return [event["action"] for event in view["history"]]


async def test_the_whole_way_from_receipt_to_closed(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await make_request(requests_database)
    dinkes = official(minter, "ppid.dinkes")
    petugas = official(minter, "petugas")
    scan = await add_delivered_file(requests_database, made.id, RequestFileKind.KTP_SCAN)

    verified = await ok(requests_client, made, "verify", petugas)
    assert verified["state"] == "verified"
    assert await scalar(
        requests_database,
        "SELECT identity_verified_at IS NOT NULL FROM requester_identities WHERE request_id = :id",
        id=made.id,
    )
    # DOMAIN.md 17: the identity scan is not kept once the identity is verified.
    assert await scalar(
        requests_database,
        "SELECT deleted_at IS NOT NULL FROM request_files WHERE id = :id",
        id=scan,
    )
    assert (await ok(requests_client, made, "assign", dinkes))["state"] == "in_process"
    noticed = await ok(requests_client, made, "issue-notice", dinkes, GRANTED_SOFTCOPY)
    assert noticed["state"] == "notice_sent"
    assert noticed["notice_outcome"] == "granted_full"
    assert noticed["fee_total"] == 0
    # DOMAIN.md 9.3: delivery by the notice deadline when the policy says so (the default).
    deadlines = noticed["deadlines"]
    assert deadlines["promised_delivery_date"] == deadlines["notice_due"]
    file_id = await add_delivered_file(requests_database, made.id)
    delivered = await ok(
        requests_client,
        made,
        "deliver",
        petugas,
        {"method": "email", "file_ids": [str(file_id)], "acknowledgement": "Terkirim ke surel."},
    )
    assert delivered["state"] == "delivered"
    assert delivered["delivered_via"] == "email"
    assert delivered["delivered_at"] is not None
    closed = await ok(requests_client, made, "close", petugas, {"note": "Selesai."})
    assert closed["state"] == "closed"
    assert closed["closed_at"] is not None
    assert actions_of(closed) == [
        "submit",
        "verify",
        "assign",
        "issue-notice",
        "deliver",
        "close",
    ]
    assert closed["history"][-2]["note"] == "Terkirim ke surel."
    assert closed["version"] == 6
    audited = await scalar(
        requests_database,
        "SELECT array_agg(action ORDER BY id) FROM audit_log WHERE object_id = :id "
        "AND action IN ('request.verify', 'request.assign', 'request.issue-notice', "
        "'request.deliver', 'request.close')",
        id=str(made.id),
    )
    assert audited == [
        "request.verify",
        "request.assign",
        "request.issue-notice",
        "request.deliver",
        "request.close",
    ]


async def test_each_answer_carries_the_new_etag_and_a_stale_if_match_is_412(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await make_request(requests_database)
    dinkes = official(minter, "ppid.dinkes")
    first = await act(requests_client, made, "verify", dinkes)
    etag = first.headers["etag"]
    before = await snapshot(requests_database, made.id)
    stale = await requests_client.post(
        f"{made.path}/assign", headers={**dinkes, "If-Match": '"stale"'}
    )
    problem(stale, 412)
    assert await snapshot(requests_database, made.id) == before
    fresh = await requests_client.post(f"{made.path}/assign", headers={**dinkes, "If-Match": etag})
    assert fresh.status_code == 200, fresh.text
    assert fresh.headers["etag"] != etag


async def test_incomplete_requests_are_completed_or_stopped(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    petugas = official(minter, "petugas")
    dinkes = official(minter, "ppid.dinkes")
    made = await make_request(requests_database)
    problem(await act(requests_client, made, "mark-incomplete", petugas, {}), 422)
    marked = await ok(
        requests_client, made, "mark-incomplete", petugas, {"reason": "Lampirkan akta."}
    )
    assert marked["state"] == "incomplete"
    assert marked["history"][-1]["note"] == "Lampirkan akta."
    completed = await ok(requests_client, made, "verify", petugas)
    assert completed["state"] == "verified"
    # DOMAIN.md 9.2 names this step `complete`.
    assert actions_of(completed) == ["submit", "mark-incomplete", "complete"]

    stopped = await make_request(requests_database)
    await ok(requests_client, stopped, "mark-incomplete", petugas, {"reason": "Akta kurang."})
    rejected = await ok(
        requests_client, stopped, "reject-incomplete", dinkes, {"reason": "Tidak dilengkapi."}
    )
    assert rejected["state"] == "rejected_incomplete"


async def test_disposition_hands_the_request_over_and_keeps_the_clock(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await make_request(requests_database, state=RequestState.IN_PROCESS)
    before = await requests_client.post(
        f"{made.path}/dispose",
        json={"unit_id": str(DISDIK_ID), "reason": "Data sekolah dikuasai Disdik."},
        headers=official(minter, "ppid.dinkes"),
    )
    assert before.status_code == 200, before.text
    disposed = before.json()
    assert disposed["state"] == "forwarded_internal"
    assert disposed["unit_id"] == str(DISDIK_ID)
    assert disposed["target_unit_id"] == str(DINKES_ID)
    stored = await snapshot(requests_database, made.id)
    assert stored["request"]["notice_due"].isoformat() == disposed["deadlines"]["notice_due"]
    assert disposed["deadlines"]["extended_due"] is None
    # The new unit acts on it now; the old one no longer can.
    problem(await act(requests_client, made, "assign", official(minter, "ppid.dinkes")), 403)
    assigned = await ok(requests_client, made, "assign", official(minter, "ppid.disdik"))
    assert assigned["state"] == "in_process"
    assert actions_of(assigned)[-2:] == ["dispose", "accept"]  # DOMAIN.md 9.2
    # The PPID Utama disposes from any unit.
    back = await ok(
        requests_client,
        made,
        "dispose",
        official(minter, "ppid.utama"),
        {"unit_id": str(DINKES_ID), "reason": "Kembali ke Dinkes."},
    )
    assert back["unit_id"] == str(DINKES_ID)


@pytest.mark.parametrize(
    "unit",
    [
        pytest.param(DINKES_ID, id="the-same-unit"),
        pytest.param("00000000-0000-4000-8000-000000000001", id="unknown-unit"),
    ],
)
async def test_disposition_to_no_other_unit_of_the_root_is_422(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter, unit: Any
) -> None:
    made = await make_request(requests_database, state=RequestState.IN_PROCESS)
    body = await refused(
        requests_client,
        requests_database,
        made,
        "dispose",
        official(minter, "ppid.dinkes"),
        {"unit_id": str(unit), "reason": "Salah alamat."},
        status=422,
    )
    assert body["errors"][0]["field"] == "unit_id"


async def test_an_extension_adds_seven_working_days_once(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await make_request(requests_database, state=RequestState.IN_PROCESS)
    dinkes = official(minter, "ppid.dinkes")
    problem(await act(requests_client, made, "extend", dinkes, {"reason": "  "}), 422)
    extended = await ok(
        requests_client, made, "extend", dinkes, {"reason": "Informasi tersebar di tiga bidang."}
    )
    assert extended["state"] == "extended"
    notice_due = dt.date.fromisoformat(extended["deadlines"]["notice_due"])
    expected = WorkCalendar(ROOT_ID, 0, ZONE).add_working_days(notice_due, 7)
    assert extended["deadlines"]["extended_due"] == expected.isoformat()
    assert extended["deadlines"]["effective_notice_due"] == expected.isoformat()
    assert extended["history"][-1]["note"] == "Informasi tersebar di tiga bidang."

    before = await snapshot(requests_database, made.id)
    again = await act(requests_client, made, "extend", dinkes, {"reason": "Sekali lagi."})
    body = problem(again, 409, INVALID)
    assert body["state"] == "extended"
    assert body["action"] == "extend"
    assert "satu kali" in body["detail"]
    english = await requests_client.post(
        f"{made.path}/extend",
        json={"reason": "Once more."},
        headers={**dinkes, "Accept-Language": "en"},
    )
    assert "only once" in problem(english, 409, INVALID)["detail"]
    assert await snapshot(requests_database, made.id) == before
    # The notice may still be issued within D17.
    noticed = await ok(requests_client, made, "issue-notice", dinkes, GRANTED_SOFTCOPY)
    assert noticed["state"] == "notice_sent"


async def test_no_extension_once_the_ten_working_days_have_ended(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await make_request(requests_database, state=RequestState.IN_PROCESS)
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2)
    await execute(
        requests_database,
        "UPDATE information_requests SET notice_due = :day WHERE id = :id",
        day=yesterday,
        id=made.id,
    )
    body = await refused(
        requests_client,
        requests_database,
        made,
        "extend",
        official(minter, "ppid.dinkes"),
        {"reason": "Terlambat."},
        status=409,
        slug=INVALID,
    )
    assert "10 hari kerja" in body["detail"]


ILLEGAL: list[tuple[RequestState, str, Json | None]] = [
    (RequestState.RECEIVED, "assign", None),
    (RequestState.RECEIVED, "issue-notice", GRANTED_SOFTCOPY),
    (RequestState.RECEIVED, "close", None),
    (RequestState.RECEIVED, "reject-incomplete", {"reason": "x"}),
    (RequestState.VERIFIED, "verify", None),
    (RequestState.VERIFIED, "mark-incomplete", {"reason": "x"}),
    (RequestState.IN_PROCESS, "deliver", {"method": "pickup", "acknowledgement": "x"}),
    (RequestState.IN_PROCESS, "record-payment", {"method": "waived", "note": "x"}),
    (RequestState.FORWARDED_INTERNAL, "issue-notice", GRANTED_SOFTCOPY),
    (RequestState.FORWARDED_INTERNAL, "extend", {"reason": "x"}),
    (RequestState.NOTICE_SENT, "extend", {"reason": "x"}),
    (RequestState.NOTICE_SENT, "issue-notice", GRANTED_SOFTCOPY),
    (RequestState.DELIVERED, "deliver", {"method": "pickup", "acknowledgement": "x"}),
    (RequestState.CLOSED, "withdraw", None),
    (RequestState.WITHDRAWN, "verify", None),
    (RequestState.REJECTED_INCOMPLETE, "verify", None),
]


@pytest.mark.parametrize(
    ("state", "action", "body"), ILLEGAL, ids=[f"{s.value}-{a}" for s, a, _ in ILLEGAL]
)
async def test_an_action_from_the_wrong_state_is_409_and_changes_nothing(
    requests_client: httpx.AsyncClient,
    requests_database: str,
    minter: Minter,
    state: RequestState,
    action: str,
    body: Json | None,
) -> None:
    made = await make_request(requests_database, state=state)
    dinkes = official(minter, "ppid.dinkes")
    found = await refused(
        requests_client, requests_database, made, action, dinkes, body, status=409, slug=INVALID
    )
    assert (found["state"], found["action"]) == (state.value, action)


async def test_an_unknown_request_is_404(
    requests_client: httpx.AsyncClient, minter: Minter
) -> None:
    ghost = Made(new_request()[0], secret="x")  # never stored
    problem(await act(requests_client, ghost, "verify", official(minter, "ppid.dinkes")), 404)
