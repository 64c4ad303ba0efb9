"""Who may act: officials of the handling unit in the right role; the requester withdraws.

Another unit's official, a role without the power, a requester's token on an official
action: 403 (or 404 for whoever may not know the request exists), and nothing changes.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from requests_service.core.models import RequestState

from tests.requests.harness import DINKES_ID, Minter, official
from tests.requests.support import Json, make_request, requester
from tests.requests.workflow.support import act, ok, problem, refused, snapshot

ACTIONS: list[tuple[RequestState, str, Json | None]] = [
    (RequestState.RECEIVED, "verify", None),
    (RequestState.RECEIVED, "mark-incomplete", {"reason": "x"}),
    (RequestState.INCOMPLETE, "reject-incomplete", {"reason": "x"}),
    (RequestState.VERIFIED, "assign", None),
    (RequestState.IN_PROCESS, "dispose", {"unit_id": str(DINKES_ID), "reason": "x"}),
    (RequestState.IN_PROCESS, "extend", {"reason": "x"}),
    (
        RequestState.IN_PROCESS,
        "issue-notice",
        {"outcome": "granted_full", "available_forms": ["softcopy"]},
    ),
    (RequestState.AWAITING_PAYMENT, "record-payment", {"method": "waived", "note": "x"}),
    (RequestState.NOTICE_SENT, "deliver", {"method": "pickup", "acknowledgement": "x"}),
    (RequestState.DELIVERED, "close", None),
    (RequestState.IN_PROCESS, "withdraw", None),
]
IDS = [action for _, action, _ in ACTIONS]
FORBIDDEN = "forbidden"


@pytest.mark.parametrize(("state", "action", "body"), ACTIONS, ids=IDS)
async def test_another_units_official_is_403_and_nothing_changes(
    requests_client: httpx.AsyncClient,
    requests_database: str,
    minter: Minter,
    state: RequestState,
    action: str,
    body: Json | None,
) -> None:
    made = await make_request(requests_database, state=state)
    other = official(minter, "ppid.disdik")
    await refused(
        requests_client, requests_database, made, action, other, body, status=403, slug=FORBIDDEN
    )


DECIDING = [a for a in ACTIONS if a[1] in {"reject-incomplete", "assign", "dispose", "extend"}]
DECIDING += [a for a in ACTIONS if a[1] == "issue-notice"]


@pytest.mark.parametrize(("state", "action", "body"), DECIDING, ids=[a for _, a, _ in DECIDING])
async def test_a_service_officer_does_not_decide(
    requests_client: httpx.AsyncClient,
    requests_database: str,
    minter: Minter,
    state: RequestState,
    action: str,
    body: Json | None,
) -> None:
    made = await make_request(requests_database, state=state)
    petugas = official(minter, "petugas")
    found = await refused(
        requests_client, requests_database, made, action, petugas, body, status=403, slug=FORBIDDEN
    )
    assert "PPID" in found["detail"]


@pytest.mark.parametrize("who", ["auditor", "admin", "atasan", "requester"])
async def test_readers_and_requesters_do_not_handle(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter, who: str
) -> None:
    made = await make_request(requests_database, account=uuid.uuid4())
    headers = requester(minter) if who == "requester" else official(minter, who)
    await refused(
        requests_client, requests_database, made, "verify", headers, status=403, slug=FORBIDDEN
    )


async def test_officials_need_a_token(
    requests_client: httpx.AsyncClient, requests_database: str
) -> None:
    made = await make_request(requests_database)
    problem(await act(requests_client, made, "verify", {}), 401)


async def test_the_requester_withdraws_with_their_account(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    account = uuid.uuid4()
    made = await make_request(requests_database, account=account)
    problem(await act(requests_client, made, "withdraw", requester(minter)), 404)
    withdrawn = await ok(
        requests_client, made, "withdraw", requester(minter, account), {"reason": "Sudah dapat."}
    )
    assert withdrawn["state"] == "withdrawn"
    assert withdrawn["withdrawn_at"] is not None
    last = withdrawn["history"][-1]
    assert (last["actor_type"], last["actor_role"], last["note"]) == (
        "requester",
        "pemohon",
        "Sudah dapat.",
    )
    again = await act(requests_client, made, "withdraw", requester(minter, account))
    problem(again, 409, "request-invalid-transition")


async def test_the_tracking_secret_withdraws_and_nothing_else_does(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await make_request(requests_database, state=RequestState.VERIFIED)
    before = await snapshot(requests_database, made.id)
    path = f"{made.path}/withdraw"
    problem(await requests_client.post(path), 404)
    problem(await requests_client.post(path, headers={"X-Tracking-Secret": "wrong"}), 404)
    assert await snapshot(requests_database, made.id) == before
    response = await requests_client.post(path, headers={"X-Tracking-Secret": made.secret})
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["state"] == "withdrawn"
    assert view["history"][-1]["actor_type"] == "anonymous"


async def test_an_official_records_a_written_withdrawal(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await make_request(requests_database, state=RequestState.NOTICE_SENT)
    problem(await act(requests_client, made, "withdraw", official(minter, "auditor")), 403)
    withdrawn = await ok(
        requests_client,
        made,
        "withdraw",
        official(minter, "petugas"),
        {"reason": "Surat pencabutan tertanggal hari ini."},
    )
    assert withdrawn["state"] == "withdrawn"
    assert withdrawn["history"][-1]["actor_role"] == "petugas_layanan"
