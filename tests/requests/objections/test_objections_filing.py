"""Filing an objection (DOMAIN.md 10.2, 10.3, 10.5; UU Pasal 35, 36): who may file, the
grounds a request opens, the soft filing window, numbers, the secret, idempotent replay.
Every refusal leaves the database as it was."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
from requests_service.core.models import NoticeOutcome, RequestState

from tests.requests.harness import DINKES_ID, Minter, official
from tests.requests.objections.support import (
    NOW,
    PATH,
    client_headers,
    counts,
    file,
    form,
    objector,
    outbox_to,
    overdue_request,
    problem_fields,
    refused_request,
)
from tests.requests.people import BUDI, SITI
from tests.requests.support import make_request, requester
from tests.services.support import one_row


async def test_the_requester_files_a_and_f_on_a_refused_request(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    account = uuid.uuid4()
    made = await refused_request(requests_database, account=account)
    headers = requester(minter, account)
    filed = await file(requests_client, form(made, ["f", "a"]), headers)
    assert filed["state"] == "filed"
    assert filed["reasons"] == ["a", "f"]
    assert filed["request_number"] == made.number
    assert filed["objection_number"].startswith("KOTA-CONTOH/DINKES/KB/")
    assert filed["tracking_secret"]
    assert filed["receipt_url"] == f"{PATH}/{filed['id']}/receipt.pdf"
    assert filed["warnings"] == []
    assert filed["deadlines"]["filed_late"] is False
    assert [e["action"] for e in filed["history"]] == ["file"]
    # The objector is the request's requester, copied; never in the view.
    assert "Siti" not in str(filed)
    name, email = await one_row(
        requests_database,
        "SELECT name, email FROM objector_identities WHERE objection_id = :id",
        id=uuid.UUID(filed["id"]),
    )
    assert (name, email) == (SITI.name, SITI.email)
    mine = await requests_client.get(f"{PATH}/mine", headers=headers)
    assert [item["id"] for item in mine.json()["items"]] == [filed["id"]]
    # The objector and the PPID office are told (the outbox, in the filing's transaction).
    sent = await outbox_to(requests_database, SITI.email)
    assert any(filed["objection_number"] in row.subject for row in sent)
    assert any(
        filed["objection_number"] in row.body_text and "Pasal 36" in row.body_text for row in sent
    )
    office = await one_row(
        requests_database,
        "SELECT count(*) FROM outbox_messages WHERE subject = :s AND recipient <> :r",
        s=f"Keberatan baru {filed['objection_number']}",
        r=SITI.email,
    )
    assert office == (1,)


async def test_the_secret_holder_files_c_on_an_overdue_request(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await overdue_request(requests_database)
    filed = await file(requests_client, form(made, ["c"]), made.with_secret())
    assert filed["channel"] == "online"
    # Discovered the day after the notice deadline (DOMAIN.md 10.5): not late yet.
    request = (await requests_client.get(made.path, headers=made.with_secret())).json()
    notice_due = dt.date.fromisoformat(request["deadlines"]["effective_notice_due"])
    deadlines = filed["deadlines"]
    assert deadlines["reason_discovered_on"] == (notice_due + dt.timedelta(days=1)).isoformat()
    # The objection's own secret reads it; the request's secret does not.
    secret = {"X-Tracking-Secret": filed["tracking_secret"]}
    assert (await requests_client.get(f"{PATH}/{filed['id']}", headers=secret)).status_code == 200
    assert (
        await requests_client.get(f"{PATH}/{filed['id']}", headers=made.with_secret())
    ).status_code == 404
    # An API client on the requester's behalf, with the request's secret: its webhooks.
    client = f"tbk-{uuid.uuid4().hex[:12]}"
    again = await file(
        requests_client, form(made, ["c"]), made.with_secret(client_headers(minter, client))
    )
    assert again["id"] != filed["id"]
    assert await one_row(
        requests_database,
        "SELECT client_id FROM objections WHERE id = :id",
        id=uuid.UUID(again["id"]),
    ) == (client,)


async def test_officials_enter_paper_forms_of_their_unit_only(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    made = await refused_request(requests_database, BUDI)
    received = (NOW - dt.timedelta(days=3)).isoformat()
    body = form(made, ["e"], channel="letter", received_at=received, objector=objector(BUDI))
    before = await counts(requests_database)
    other_unit = await requests_client.post(
        PATH, json=body, headers=official(minter, "ppid.disdik")
    )
    assert other_unit.status_code == 404  # not theirs: the request's existence stays hidden
    atasan = await requests_client.post(PATH, json=body, headers=official(minter, "atasan"))
    assert atasan.status_code == 403  # reads the unit, does not enter forms
    stranger = await requests_client.post(PATH, json=body, headers=requester(minter))
    assert stranger.status_code == 404
    anonymous = await requests_client.post(PATH, json=form(made, ["e"]))
    assert anonymous.status_code == 404
    online_channel = await requests_client.post(
        PATH, json={**form(made, ["e"]), "channel": "letter"}, headers=made.with_secret()
    )
    assert online_channel.status_code == 422
    assert problem_fields(online_channel) == {"channel"}
    assert await counts(requests_database) == before
    filed = await file(requests_client, body, official(minter, "petugas"))
    assert filed["channel"] == "letter"
    received_at = dt.datetime.fromisoformat(filed["deadlines"]["received_at"])
    assert abs(received_at - (NOW - dt.timedelta(days=3))) < dt.timedelta(seconds=1)
    identity = await requests_client.get(
        f"{PATH}/{filed['id']}/identity", headers=official(minter, "ppid.dinkes")
    )
    assert identity.json()["scope"] == "full"
    assert identity.json()["phone"] == BUDI.phone
    masked = await requests_client.get(
        f"{PATH}/{filed['id']}/identity", headers=official(minter, "atasan")
    )
    assert masked.json()["scope"] == "masked"
    assert masked.json()["phone"] is None
    hidden = await requests_client.get(
        f"{PATH}/{filed['id']}/identity", headers=official(minter, "ppid.disdik")
    )
    assert hidden.status_code == 404
    assert await one_row(
        requests_database,
        "SELECT count(*) FROM audit_log WHERE action = 'objection.identity.read' "
        "AND object_id = :id",
        id=filed["id"],
    ) == (2,)


async def test_grounds_must_be_open_on_the_request(
    requests_client: httpx.AsyncClient, requests_database: str
) -> None:
    granted = await make_request(
        requests_database,
        state=RequestState.NOTICE_SENT,
        notice_outcome=NoticeOutcome.GRANTED_FULL,
        notice_sent_at=NOW - dt.timedelta(days=1),
        promised_delivery_date=(NOW + dt.timedelta(days=5)).date(),
    )
    fresh = await make_request(requests_database)
    withdrawn = await make_request(requests_database, state=RequestState.WITHDRAWN)
    before = await counts(requests_database)
    refused_a = await requests_client.post(
        PATH, json=form(granted, ["a", "c", "g"]), headers=granted.with_secret()
    )
    assert refused_a.status_code == 422
    assert problem_fields(refused_a) == {"reasons.a", "reasons.c", "reasons.g"}
    no_notice = await requests_client.post(
        PATH, json=form(fresh, ["d", "e", "f"]), headers=fresh.with_secret()
    )
    assert problem_fields(no_notice) == {"reasons.d", "reasons.e", "reasons.f"}
    twice = await requests_client.post(
        PATH, json=form(granted, ["d", "d"]), headers=granted.with_secret()
    )
    assert problem_fields(twice) == {"reasons"}
    gone = await requests_client.post(
        PATH,
        json=form(withdrawn, ["b"], reason_discovered_on=NOW.date().isoformat()),
        headers=withdrawn.with_secret(),
    )
    assert gone.status_code == 409
    assert gone.json()["type"].endswith("objection-request-withdrawn")
    without_request = await requests_client.post(PATH, json=form(None, ["b", "c"]))
    assert problem_fields(without_request) >= {"request_id", "unit_id", "objector"}
    assert await counts(requests_database) == before
    # (d) once the notice is out; (b) alone without a request, by anyone.
    assert (await file(requests_client, form(granted, ["d"]), granted.with_secret()))[
        "reasons"
    ] == ["d"]
    periodic = form(
        None,
        ["b"],
        unit_id=str(DINKES_ID),
        reason_discovered_on=NOW.date().isoformat(),
        objector=objector(BUDI),
    )
    filed = await file(requests_client, periodic)
    assert filed["request_id"] is None
    assert filed["unit_id"] == str(DINKES_ID)
    text = str(filed)
    for value in (BUDI.phone, BUDI.address, BUDI.email):
        assert value not in text


async def test_a_late_filing_is_recorded_with_a_warning(
    requests_client: httpx.AsyncClient, requests_database: str
) -> None:
    made = await refused_request(requests_database)
    discovered = (NOW - dt.timedelta(days=70)).date()
    filed = await file(
        requests_client,
        form(made, ["a"], reason_discovered_on=discovered.isoformat()),
        made.with_secret({"Accept-Language": "en"}),
    )
    assert [w["code"] for w in filed["warnings"]] == ["filing-window-passed"]
    assert "30 working days" in filed["warnings"][0]["message"]
    assert "Pasal 36(1)" in filed["warnings"][0]["message"]
    assert filed["deadlines"]["filed_late"] is True
    assert filed["deadlines"]["reason_discovered_on"] == discovered.isoformat()
    assert await one_row(
        requests_database,
        "SELECT filed_late FROM objections WHERE id = :id",
        id=uuid.UUID(filed["id"]),
    ) == (True,)


async def test_numbers_are_gap_free_and_a_replay_answers_the_same(
    requests_client: httpx.AsyncClient, requests_database: str
) -> None:
    made = await refused_request(requests_database)
    key = {"Idempotency-Key": uuid.uuid4().hex, **made.with_secret()}
    first = await file(requests_client, form(made, ["a"]), key)
    replay = await file(requests_client, form(made, ["a"]), key)
    assert replay["id"] == first["id"]
    assert replay["tracking_secret"] == first["tracking_secret"]
    refused = await requests_client.post(PATH, json=form(made, ["c"]), headers=made.with_secret())
    assert refused.status_code == 422  # takes no number
    second = await file(requests_client, form(made, ["f"]), made.with_secret())
    seq = [int(n["objection_number"].rsplit("/", 1)[1]) for n in (first, second)]
    assert seq[1] == seq[0] + 1
    assert await one_row(
        requests_database, "SELECT count(*) FROM objections WHERE request_id = :id", id=made.id
    ) == (2,)
