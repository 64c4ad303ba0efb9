"""The written notice (DOMAIN.md 8.4): its content per outcome, who reads it, its PDF."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest
from requests_service.calendar.clock import WorkCalendar
from requests_service.core.models import RequestState

from tests.requests.harness import ROOT_ID, Minter, official
from tests.requests.people import BUDI, SITI
from tests.requests.support import ZONE, Json, make_request, pdf_text, requester
from tests.requests.workflow.support import act, ok, problem, put_fees, refused
from tests.services.support import execute


@pytest.mark.parametrize(
    ("outcome", "extra", "field"),
    [
        ("granted_full", {}, "available_forms"),
        ("granted_full", {"available_forms": ["softcopy"], "holder": "other_body"}, "holder_body"),
        ("granted_partial", {"available_forms": ["softcopy"]}, "redaction_note"),
        ("not_held_forwarded", {}, "holder_body"),
        ("refused", {"consequence_test_id": str(uuid.uuid4())}, "ground"),
        ("refused", {"ground": "h"}, "consequence_test_id"),
    ],
)
async def test_a_notice_says_what_its_outcome_demands(
    requests_client: httpx.AsyncClient,
    requests_database: str,
    minter: Minter,
    outcome: str,
    extra: Json,
    field: str,
) -> None:
    made = await make_request(requests_database, state=RequestState.IN_PROCESS)
    body = {"outcome": outcome, **extra}
    found = await refused(
        requests_client,
        requests_database,
        made,
        "issue-notice",
        official(minter, "ppid.dinkes"),
        body,
        status=422,
    )
    assert field in {error["field"] for error in found["errors"]}


@pytest.mark.parametrize(
    ("outcome", "extra"),
    [
        ("not_held_forwarded", {"holder_body": "Badan Pusat Statistik Kota Contoh"}),
        ("not_held_unknown", {"explanation": "Informasi tidak pernah dibuat oleh Dinkes."}),
        (
            "not_documented",
            {"explanation": "Belum didokumentasikan.", "provide_within_working_days": 20},
        ),
    ],
)
async def test_information_not_held_ends_the_request(
    requests_client: httpx.AsyncClient,
    requests_database: str,
    minter: Minter,
    outcome: str,
    extra: Json,
) -> None:
    made = await make_request(requests_database, state=RequestState.VERIFIED)
    view = await ok(
        requests_client,
        made,
        "issue-notice",
        official(minter, "ppid.dinkes"),
        {"outcome": outcome, **extra},
    )
    assert view["state"] == "closed"
    assert view["notice_outcome"] == outcome
    assert view["closed_at"] is not None
    closing = view["history"][-1]
    assert (closing["action"], closing["actor_type"]) == ("close", "system")
    notice = await requests_client.get(
        f"{made.path}/notice", headers={"X-Tracking-Secret": made.secret}
    )
    assert notice.status_code == 200, notice.text
    if outcome == "not_held_forwarded":
        assert notice.json()["holder_body"] == "Badan Pusat Statistik Kota Contoh"
        text = pdf_text(
            (
                await requests_client.get(
                    f"{made.path}/notice.pdf", headers={"X-Tracking-Secret": made.secret}
                )
            ).content
        )
        assert "Badan Pusat Statistik Kota Contoh" in text


async def test_the_notice_is_read_by_the_unit_the_requester_and_the_secret_holder(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    await put_fees(requests_client, minter)
    account = uuid.uuid4()
    made = await make_request(
        requests_database, person=BUDI, account=account, state=RequestState.IN_PROCESS
    )
    notice_path = f"{made.path}/notice"
    problem(await requests_client.get(notice_path, headers={"X-Tracking-Secret": made.secret}), 404)
    await ok(
        requests_client,
        made,
        "issue-notice",
        official(minter, "ppid.dinkes"),
        {
            "outcome": "granted_partial",
            "available_forms": ["hardcopy", "softcopy"],
            "delivery_method": "post",
            "fee_lines": [{"code": "FC-A4", "quantity": 30}],
            "redaction_note": "Nama pasien dihitamkan (Pasal 17 huruf h).",
            "provide_within_working_days": 5,
            "signatory_name": "dr. Contoh Sehat",
        },
    )
    readers = [
        official(minter, "ppid.dinkes"),
        official(minter, "auditor"),
        requester(minter, account),
        {"X-Tracking-Secret": made.secret},
    ]
    bodies = []
    for headers in readers:
        response = await requests_client.get(notice_path, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "private, no-cache"
        bodies.append(response.json())
    assert all(body == bodies[0] for body in bodies)
    notice = bodies[0]
    assert notice["requester_name"] == BUDI.name
    assert notice["fee_total"] == 6000
    assert notice["fee_lines"][0]["amount"] == 6000
    assert notice["holder"] == "self"
    assert notice["decree"] is None
    assert notice["pdf_url"] == f"{made.path}/notice.pdf"
    assert notice["signatory"].startswith("PPID Pelaksana Dinas Kesehatan")
    for stranger in (requester(minter), official(minter, "ppid.disdik"), {}):
        problem(await requests_client.get(notice_path, headers=stranger), 404)
    problem(await requests_client.get(notice_path, headers={"X-Tracking-Secret": "nope"}), 404)

    pdf = await requests_client.get(
        f"{made.path}/notice.pdf", headers={"X-Tracking-Secret": made.secret}
    )
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["x-content-type-options"] == "nosniff"
    assert pdf.content.startswith(b"%PDF-")
    text = pdf_text(pdf.content)
    for expected in (
        "Pemberitahuan Tertulis",
        made.number,
        BUDI.name,
        "Nama pasien dihitamkan (Pasal 17 huruf h).",
        "Rp200 x 30 lembar = Rp6.000",
        "Hardcopy (salinan tertulis)",
        "Pos",
        "PPID Pelaksana Dinas Kesehatan",
        "dr. Contoh Sehat",
        "PPID PEMERINTAH KOTA CONTOH",
    ):
        assert expected in text, expected
    for personal in (BUDI.nik, BUDI.address, BUDI.phone, BUDI.email):
        assert personal not in text
    again = await requests_client.get(
        f"{made.path}/notice.pdf",
        headers={"X-Tracking-Secret": made.secret, "If-None-Match": pdf.headers["etag"]},
    )
    assert again.status_code == 304
    problem(await requests_client.get(f"{made.path}/decree.pdf", headers=readers[0]), 404)


async def test_a_granted_notice_by_the_ppid_utama_is_signed_for_the_badan_publik(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await make_request(requests_database, person=SITI, state=RequestState.VERIFIED)
    await ok(
        requests_client,
        made,
        "issue-notice",
        official(minter, "ppid.utama"),
        {"outcome": "granted_full", "available_forms": ["softcopy"], "place": "Contoh"},
    )
    notice = (
        await requests_client.get(f"{made.path}/notice", headers=official(minter, "ppid.utama"))
    ).json()
    assert notice["signatory"] == "PPID Utama Pemerintah Kota Contoh"
    assert notice["place"] == "Contoh"
    assert notice["issued_by_role"] == "ppid_utama"


async def test_a_root_that_does_not_tie_delivery_to_the_notice_states_the_time(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await make_request(requests_database, state=RequestState.IN_PROCESS)
    dinkes = official(minter, "ppid.dinkes")
    body: Json = {"outcome": "granted_full", "available_forms": ["softcopy"]}
    await execute(
        requests_database,
        "INSERT INTO request_policies (root_id, number_format, delivery_sla_equals_notice, "
        "require_identity_scan, scan_retention_days) "
        "VALUES (:root, '{root}/{unit}/{series}/{year}/{seq:05d}', false, false, 30)",
        root=ROOT_ID,
    )
    try:
        response = await act(requests_client, made, "issue-notice", dinkes, body)
        assert problem(response, 422)["errors"][0]["field"] == "provide_within_working_days"
        view = await ok(
            requests_client,
            made,
            "issue-notice",
            dinkes,
            {**body, "provide_within_working_days": 3},
        )
    finally:
        await execute(
            requests_database, "DELETE FROM request_policies WHERE root_id = :root", root=ROOT_ID
        )
    issued = dt.datetime.fromisoformat(view["history"][-1]["created_at"]).astimezone(
        WorkCalendar(ROOT_ID, 0, ZONE).zone
    )
    expected = WorkCalendar(ROOT_ID, 0, ZONE).add_working_days(issued.date(), 3)
    assert view["deadlines"]["promised_delivery_date"] == expected.isoformat()
