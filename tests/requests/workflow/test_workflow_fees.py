"""The fee schedule (DOMAIN.md 12) and a notice with fees: partial grant, payment, delivery."""

from __future__ import annotations

import httpx
import pytest
from requests_service.core.models import RequestState

from tests.requests.harness import ROOT_ID, Minter, official
from tests.requests.support import Json, make_request
from tests.requests.workflow.support import (
    FEES,
    act,
    add_delivered_file,
    ok,
    problem,
    put_fees,
    refused,
    snapshot,
)
from tests.services.support import scalar

FEES_PATH = f"/v1/requests/fees/{ROOT_ID}"
PARTIAL: Json = {
    "outcome": "granted_partial",
    "available_forms": ["hardcopy"],
    "delivery_method": "pickup",
    "fee_lines": [{"code": "FC-A4", "quantity": 30}, {"code": "CD", "quantity": 1}],
    "provide_within_working_days": 5,
    "redaction_note": "Nama dan NIP pegawai dihitamkan (Pasal 17 huruf h).",
}


async def test_the_schedule_is_public_and_replaced_by_the_ppid_utama_or_admin(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    empty = await requests_client.get(FEES_PATH)
    assert empty.status_code == 200, empty.text
    assert (empty.json()["version"], empty.json()["items"]) == (0, [])
    problem(
        await requests_client.get("/v1/requests/fees/00000000-0000-4000-8000-000000000009"), 404
    )

    refused = await requests_client.put(
        FEES_PATH, json={"items": FEES}, headers=official(minter, "ppid.dinkes")
    )
    problem(refused, 403)
    duplicate = await requests_client.put(
        FEES_PATH, json={"items": [FEES[0], FEES[0]]}, headers=official(minter, "admin")
    )
    assert problem(duplicate, 422)["errors"][0]["field"] == "items.1.code"

    created = await requests_client.put(
        FEES_PATH, json={"items": FEES}, headers=official(minter, "admin")
    )
    assert created.status_code == 201, created.text
    shown = await requests_client.get(FEES_PATH)
    assert shown.headers["etag"] == created.headers["etag"]
    assert shown.headers["cache-control"] == "public, max-age=60"
    assert [i["code"] for i in shown.json()["items"]] == ["FC-A4", "CD"]
    cached = await requests_client.get(FEES_PATH, headers={"If-None-Match": shown.headers["etag"]})
    assert cached.status_code == 304

    utama = official(minter, "ppid.utama")
    problem(await requests_client.put(FEES_PATH, json={"items": FEES}, headers=utama), 428)
    stale = {**utama, "If-Match": '"stale"'}
    problem(await requests_client.put(FEES_PATH, json={"items": FEES}, headers=stale), 412)
    raised = {**FEES[0], "unit_price": 300, "effective_from": "2099-01-01"}
    replaced = await requests_client.put(
        FEES_PATH,
        json={"items": [*FEES, raised]},
        headers={**utama, "If-Match": shown.headers["etag"]},
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["version"] == 2
    assert len(replaced.json()["items"]) == 3
    audited = await scalar(
        requests_database,
        "SELECT count(*) FROM audit_log WHERE action = 'fee_schedule.replaced'",
    )
    assert audited == 2


async def test_a_partial_grant_with_fees_is_paid_then_delivered(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    assert (await put_fees(requests_client, minter)).status_code in (200, 201)
    made = await make_request(requests_database, state=RequestState.IN_PROCESS)
    dinkes = official(minter, "ppid.dinkes")
    petugas = official(minter, "petugas")

    before = await snapshot(requests_database, made.id)
    no_note = {**PARTIAL, "redaction_note": None}
    body = problem(await act(requests_client, made, "issue-notice", dinkes, no_note), 422)
    assert body["errors"][0]["field"] == "redaction_note"
    unknown = {**PARTIAL, "fee_lines": [{"code": "NOPE", "quantity": 1}]}
    body = problem(await act(requests_client, made, "issue-notice", dinkes, unknown), 422)
    assert body["errors"][0]["field"] == "fee_lines.0.code"
    assert await snapshot(requests_database, made.id) == before

    noticed = await ok(requests_client, made, "issue-notice", dinkes, PARTIAL)
    # 30 sheets at Rp200 (the 2099 price is not in force yet) and one CD at Rp5.000.
    assert noticed["fee_total"] == 30 * 200 + 5000
    assert noticed["state"] == "awaiting_payment"
    assert [e["action"] for e in noticed["history"][-2:]] == ["issue-notice", "await-payment"]
    assert noticed["history"][-1]["actor_type"] == "system"

    delivery = {"method": "pickup", "acknowledgement": "Diterima langsung, berita acara No. 7."}
    body = problem(await act(requests_client, made, "deliver", petugas, delivery), 409)
    assert "belum dibayar" in body["detail"]

    cash = {"method": "cash_at_counter", "amount": 11000, "receipt_no": "KW-0042"}
    wrong = {**cash, "amount": 6000}
    body = problem(await act(requests_client, made, "record-payment", petugas, wrong), 422)
    assert body["errors"][0]["field"] == "amount"
    no_receipt = {**cash, "receipt_no": None}
    problem(await act(requests_client, made, "record-payment", petugas, no_receipt), 422)
    paid = await ok(requests_client, made, "record-payment", petugas, cash)
    assert paid["state"] == "awaiting_payment"
    assert paid["paid_at"] is not None
    again = await act(requests_client, made, "record-payment", petugas, cash)
    assert "sudah dicatat" in problem(again, 409)["detail"]

    delivered = await ok(requests_client, made, "deliver", petugas, delivery)
    assert delivered["state"] == "delivered"
    assert delivered["delivered_via"] == "pickup"
    row = (await snapshot(requests_database, made.id))["request"]
    assert (row["payment_method"], row["payment_receipt_no"]) == ("cash_at_counter", "KW-0042")


async def test_waived_fees_need_a_reason(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    await put_fees(requests_client, minter)
    made = await make_request(requests_database, state=RequestState.VERIFIED)
    await ok(requests_client, made, "issue-notice", official(minter, "ppid.utama"), PARTIAL)
    petugas = official(minter, "petugas")
    problem(await act(requests_client, made, "record-payment", petugas, {"method": "waived"}), 422)
    waived = await ok(
        requests_client,
        made,
        "record-payment",
        petugas,
        {"method": "waived", "note": "Pemohon tidak mampu (SKTM)."},
    )
    assert waived["paid_at"] is not None


@pytest.mark.parametrize(
    ("method", "files"), [("email", []), ("download", []), ("email", ["unknown"])]
)
async def test_an_electronic_delivery_names_delivered_files_of_the_request(
    requests_client: httpx.AsyncClient,
    requests_database: str,
    minter: Minter,
    method: str,
    files: list[str],
) -> None:
    made = await make_request(requests_database, state=RequestState.IN_PROCESS)
    await ok(
        requests_client,
        made,
        "issue-notice",
        official(minter, "ppid.dinkes"),
        {"outcome": "granted_full", "available_forms": ["softcopy"]},
    )
    other = await make_request(requests_database)
    foreign = await add_delivered_file(requests_database, other.id)
    ids = [str(foreign) for _ in files]
    body = {"method": method, "file_ids": ids, "acknowledgement": "Terkirim."}
    petugas = official(minter, "petugas")
    found = await refused(
        requests_client, requests_database, made, "deliver", petugas, body, status=422
    )
    assert found["errors"][0]["field"] == "file_ids"


async def test_fees_only_when_information_is_given(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    await put_fees(requests_client, minter)
    made = await make_request(requests_database, state=RequestState.IN_PROCESS)
    body = {
        "outcome": "not_documented",
        "fee_lines": [{"code": "FC-A4", "quantity": 1}],
        "explanation": "Belum dibuat.",
    }
    response = await act(
        requests_client, made, "issue-notice", official(minter, "ppid.dinkes"), body
    )
    assert problem(response, 422)["errors"][0]["field"] == "fee_lines"
