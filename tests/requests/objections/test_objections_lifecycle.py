"""The objection's life (DOMAIN.md 10.5-10.7): forward, consultation, the Atasan's decision
with its letter, the order carried out, the requester's reaction, withdrawal; D30 worked
out by hand on the demo calendar; lists, reads and what strangers see."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from ppid_kit.access import Actor
from ppid_kit.unit_tree import UnitTree
from requests_service.core.models import ActorType
from requests_service.demo import seed as demo
from requests_service.objections import service
from requests_service.objections.access import Filer
from requests_service.objections.schemas import ObjectionFiling
from requests_service.settings import RequestsSettings

from tests.requests.harness import AuthStack, Minter, official
from tests.requests.objections.support import (
    PATH,
    counts,
    file,
    form,
    outbox_to,
    overdue_request,
    refused_request,
)
from tests.requests.people import SITI, WAYAN
from tests.requests.support import Json, pdf_text, requester
from tests.services.support import database_session, execute, one_row, post_file

ORDER = "Berikan salinan data cakupan imunisasi per kelurahan kepada pemohon."
UPHELD_REQUESTER: Json = {
    "decision": "upheld_requester",
    "objection_summary": "Pemohon keberatan atas penolakan data imunisasi.",
    "order_text": ORDER,
    "order_working_days": 5,
    "atasan_name": "Drs. Atasan Contoh",
    "atasan_position": "Sekretaris Daerah Kota Contoh",
}
INVALID = "objection-invalid-transition"


@pytest.fixture(scope="module")
def unit_tree(auth_stack: AuthStack) -> UnitTree:
    response = httpx.get(f"{auth_stack.url}/v1/units/tree", timeout=10)
    response.raise_for_status()
    return UnitTree.from_json(response.json())


async def act(
    client: httpx.AsyncClient,
    objection: Json,
    action: str,
    headers: dict[str, str],
    body: Json | None = None,
) -> httpx.Response:
    return await client.post(f"{PATH}/{objection['id']}/{action}", json=body, headers=headers)


async def ok(
    client: httpx.AsyncClient,
    objection: Json,
    action: str,
    headers: dict[str, str],
    body: Json | None = None,
) -> Json:
    response = await act(client, objection, action, headers, body)
    assert response.status_code == 200, response.text
    view: Json = response.json()
    return view


async def test_upheld_for_the_requester_then_order_executed_and_settled(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await refused_request(requests_database)
    filed = await file(requests_client, form(made, ["a"]), made.with_secret())
    petugas, atasan = official(minter, "petugas"), official(minter, "atasan")
    dinkes = official(minter, "ppid.dinkes")
    mine = {"X-Tracking-Secret": filed["tracking_secret"]}
    not_decided = await requests_client.get(f"{PATH}/{filed['id']}/response.pdf", headers=mine)
    assert not_decided.status_code == 409

    stale = await act(requests_client, filed, "forward", {**petugas, "If-Match": '"stale"'})
    assert stale.status_code == 412
    current = (await requests_client.get(f"{PATH}/{filed['id']}", headers=mine)).headers["ETag"]
    forwarded = await ok(requests_client, filed, "forward", {**petugas, "If-Match": current})
    assert forwarded["state"] == "with_atasan"
    assert forwarded["forwarded_at"] is not None

    before = await counts(requests_database)
    consult = await act(requests_client, filed, "consultation", atasan)
    assert consult.status_code == 409  # UU Pasal 35(2): ground (a) is not for musyawarah
    assert consult.json()["type"].endswith(INVALID)
    not_atasan = await act(requests_client, filed, "decide", dinkes, UPHELD_REQUESTER)
    assert not_atasan.status_code == 403
    disdik = official(minter, "ppid.disdik")
    stranger = await act(requests_client, filed, "decide", disdik, UPHELD_REQUESTER)
    assert stranger.status_code == 404
    no_reasons = {**UPHELD_REQUESTER, "decision": "upheld_ppid", "order_text": None}
    no_reasons.pop("order_working_days")
    refused = await act(requests_client, filed, "decide", atasan, no_reasons)
    assert refused.status_code == 422  # UU Pasal 36(3)
    assert {e["field"] for e in refused.json()["errors"]} == {"decision_reasons"}
    not_yet = await act(requests_client, filed, "execute-order", petugas, {"note": "x"})
    assert not_yet.status_code == 409
    assert await counts(requests_database) == before

    decided = await ok(requests_client, filed, "decide", atasan, UPHELD_REQUESTER)
    assert decided["state"] == "decided_upheld_requester"
    response = decided["response"]
    assert response["response_number"].startswith("KOTA-CONTOH/DINKES/TK/")
    assert response["order_text"] == ORDER
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    assert response["response_date"] == today.isoformat()
    assert response["order_due"] > response["response_date"]
    assert decided["deadlines"]["dispute_due"] == response["dispute_due"]
    assert response["dispute_due"] > response["order_due"]  # 14 WD against 5 WD

    letter = await requests_client.get(f"{PATH}/{filed['id']}/response.pdf", headers=mine)
    assert letter.status_code == 200
    assert letter.headers["content-type"] == "application/pdf"
    text = pdf_text(letter.content)
    for expected in (
        response["response_number"],
        filed["objection_number"],
        made.number,
        "Keberatan diterima",
        ORDER,
        "Komisi Informasi",
        "14 hari kerja",
        "Drs. Atasan Contoh",
        "Sekretaris Daerah Kota Contoh",
    ):
        assert expected in text, expected
    data = await requests_client.get(f"{PATH}/{filed['id']}/response", headers=mine)
    assert data.json()["decision"] == "upheld_requester"

    executed = await ok(
        requests_client, filed, "execute-order", petugas, {"note": "Data dikirim lewat surel."}
    )
    assert executed["state"] == "order_executed"
    assert executed["order_execution_note"] == "Data dikirim lewat surel."
    settled = await ok(requests_client, filed, "reaction", mine, {"reaction": "satisfied"})
    assert settled["state"] == "settled"
    assert settled["requester_reaction"] == "satisfied"
    late = await act(requests_client, filed, "withdraw", mine)
    assert late.status_code == 409
    assert [e["action"] for e in settled["history"]] == [
        "file",
        "forward",
        "decide",
        "execute-order",
        "reaction",
    ]
    # An email to the objector for each step; the decision's names the KI route.
    sent = [
        r
        for r in await outbox_to(requests_database, SITI.email)
        if filed["objection_number"] in r.subject
    ]
    assert len(sent) == 5
    assert any("Komisi Informasi" in r.body_text and ORDER in r.body_text for r in sent)
    assert all(filed["tracking_secret"] not in r.body_text for r in sent)
    assert await one_row(
        requests_database,
        "SELECT count(*) FROM audit_log WHERE object_id = :id AND action LIKE 'objection.%'",
        id=filed["id"],
    ) == (5,)


async def test_upheld_for_the_ppid_after_consultation_then_not_satisfied(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    account = uuid.uuid4()
    made = await overdue_request(requests_database, WAYAN, account=account)
    mine = requester(minter, account)
    filed = await file(requests_client, form(made, ["c"]), mine)
    atasan = official(minter, "atasan")
    settle_early = {**UPHELD_REQUESTER, "decision": "settled_by_consultation"}
    assert (await ok(requests_client, filed, "forward", atasan))["state"] == "with_atasan"
    early = await act(requests_client, filed, "decide", atasan, settle_early)
    assert early.status_code == 409  # settlement by consultation only from musyawarah
    assert (await ok(requests_client, filed, "consultation", atasan))["state"] == "musyawarah"
    body = {
        "decision": "upheld_ppid",
        "objection_summary": "Pemohon keberatan karena tidak ada pemberitahuan tertulis.",
        "decision_reasons": "Pemberitahuan telah dikirim melalui pos pada hari ke-9.",
        "atasan_name": "Drs. Atasan Contoh",
        "atasan_position": "Sekretaris Daerah",
    }
    with_order = await act(requests_client, filed, "decide", atasan, {**body, "order_text": ORDER})
    assert with_order.status_code == 422
    decided = await ok(requests_client, filed, "decide", atasan, body)
    assert decided["state"] == "decided_upheld_ppid"
    assert decided["response"]["decision_reasons"] == body["decision_reasons"]
    unhappy = await ok(requests_client, filed, "reaction", mine, {"reaction": "not_satisfied"})
    assert unhappy["state"] == "decided_upheld_ppid"  # the dispute route escalates it
    assert unhappy["requester_reaction"] == "not_satisfied"
    twice = await act(requests_client, filed, "reaction", mine, {"reaction": "not_satisfied"})
    assert twice.status_code == 409
    letter = await requests_client.get(f"{PATH}/{filed['id']}/response.pdf", headers=mine)
    text = pdf_text(letter.content)
    assert "Pemberitahuan telah dikirim melalui pos" in text
    assert "Keberatan ditolak" in text


async def test_withdrawal_by_the_filer_and_what_strangers_see(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await refused_request(requests_database)
    filed = await file(requests_client, form(made, ["e"]), made.with_secret())
    path = f"{PATH}/{filed['id']}"
    mine = {"X-Tracking-Secret": filed["tracking_secret"]}
    for headers in ({}, requester(minter), official(minter, "ppid.disdik"), made.with_secret()):
        assert (await requests_client.get(path, headers=headers)).status_code == 404
        assert (await act(requests_client, filed, "withdraw", headers)).status_code == 404
    assert (
        await act(requests_client, filed, "withdraw", official(minter, "atasan"))
    ).status_code == 403
    assert (await act(requests_client, filed, "forward", {})).status_code == 401
    assert (await requests_client.get(f"{path}/identity")).status_code == 401
    first = await requests_client.get(path, headers=mine)
    cached = await requests_client.get(
        path, headers={**mine, "If-None-Match": first.headers["ETag"]}
    )
    assert cached.status_code == 304
    receipt = await requests_client.get(f"{path}/receipt.pdf", headers=mine)
    text = pdf_text(receipt.content)
    assert filed["objection_number"] in text
    assert made.number in text
    assert SITI.name in text
    for secret in SITI.secrets:
        assert secret not in text
    assert "Pasal 36" in text
    withdrawn = await ok(requests_client, filed, "withdraw", mine, {"note": "Sudah diselesaikan."})
    assert withdrawn["state"] == "withdrawn"
    assert withdrawn["withdrawn_at"] is not None


async def test_lists_for_officials_and_the_overdue_flag(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await refused_request(requests_database)
    filed = await file(requests_client, form(made, ["f"]), made.with_secret())
    late = await file(requests_client, form(made, ["d"]), made.with_secret())
    await execute(
        requests_database,
        "UPDATE objections SET response_due = :day WHERE id = :id",
        day=dt.date.today() - dt.timedelta(days=3),
        id=uuid.UUID(late["id"]),
    )
    dinkes = official(minter, "ppid.dinkes")
    listed = await requests_client.get(PATH, params={"request_id": str(made.id)}, headers=dinkes)
    assert [i["id"] for i in listed.json()["items"]] == [late["id"], filed["id"]]
    overdue = await requests_client.get(
        PATH, params={"request_id": str(made.id), "overdue": "true"}, headers=dinkes
    )
    assert [i["id"] for i in overdue.json()["items"]] == [late["id"]]
    assert overdue.json()["items"][0]["response_overdue"] is True
    view = await requests_client.get(f"{PATH}/{late['id']}", headers=official(minter, "atasan"))
    assert view.json()["deadlines"]["response_overdue"] is True
    disdik = await requests_client.get(
        PATH, params={"request_id": str(made.id)}, headers=official(minter, "ppid.disdik")
    )
    assert disdik.json()["items"] == []
    assert (await requests_client.get(PATH, headers=requester(minter))).status_code == 403
    paged = await requests_client.get(
        PATH, params={"request_id": str(made.id), "limit": "1"}, headers=dinkes
    )
    assert paged.json()["next_cursor"] is not None


async def test_d30_by_hand_on_the_demo_calendar(
    requests_database: str, unit_tree: UnitTree, requests_client: httpx.AsyncClient
) -> None:
    """Received Wednesday 2 December 2026 at 10.00 WIB (day 0). Working days after it:
    3-4 Dec (2), 7-11 (7), 14-18 (12), 21-23 (15); 24 Dec cuti bersama and 25 Dec Natal
    closed; 28-31 Dec (19); 1 Jan Tahun Baru closed; 4 Jan (20); 5 Jan Isra Mikraj closed;
    6-8 Jan (23), 11-15 Jan (28), 18 Jan (29), 19 Jan (30): D30 = Tuesday 19 January 2027."""
    made = await refused_request(requests_database)
    now = dt.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    body = ObjectionFiling.model_validate(form(made, ["a"]))
    filer = Filer(ActorType.OFFICIAL, Actor(uuid.uuid4(), "petugas_layanan"))
    async with database_session(requests_database) as session:
        await demo.seed(session, today=now.date())
    async with database_session(requests_database) as session:
        made_now: Any = await service.file_objection(
            session, unit_tree, body, filer, RequestsSettings(), now=now
        )
        objection = made_now.objection
        assert objection.receipt_date == dt.date(2026, 12, 2)
        assert objection.response_due == dt.date(2027, 1, 19)
        assert objection.calendar_version >= 1
        assert objection.channel == "walk_in"


async def test_files_power_of_attorney_for_handlers_only(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await refused_request(requests_database)
    agent = {"name": "Rudi Kuasa", "occupation": "Advokat"}
    filed = await file(requests_client, form(made, ["a"], agent=agent), made.with_secret())
    assert filed["by_agent"] is True
    mine = {"X-Tracking-Secret": filed["tracking_secret"]}
    files = f"{PATH}/{filed['id']}/files"
    pdf = b"%PDF-1.7\nsurat kuasa khusus\n"
    uploaded = await post_file(
        requests_client,
        files,
        pdf,
        mine,
        filename="kuasa-rudi.pdf",
        content_type="application/pdf",
        kind="power_of_attorney",
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["filename"] == "power_of_attorney"
    stranger = await post_file(
        requests_client,
        files,
        pdf,
        requester(minter),
        filename="x.pdf",
        content_type="application/pdf",
        kind="supporting",
    )
    assert stranger.status_code == 404
    listed = await requests_client.get(files, headers=official(minter, "atasan"))
    assert [f["filename"] for f in listed.json()["items"]] == ["kuasa-rudi.pdf"]
    content = uploaded.json()["url"]
    assert (await requests_client.get(content, headers=mine)).status_code == 404
    assert (
        await requests_client.get(content, headers=official(minter, "atasan"))
    ).status_code == 403
    read = await requests_client.get(content, headers=official(minter, "petugas"))
    assert read.status_code == 200
    assert read.content == pdf
    assert await one_row(
        requests_database,
        "SELECT count(*) FROM audit_log WHERE action IN "
        "('objection.file.upload', 'objection.file.read') AND details->>'objection_id' = :id",
        id=filed["id"],
    ) == (2,)
