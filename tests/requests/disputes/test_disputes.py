"""Disputes at the Komisi Informasi (DOMAIN.md 10.8): when one may be filed, its legal
clock (UU Pasal 37(2), 38), who may record it, its stages, decision and compliance under
`If-Match`, the DIP task of a decision opening information (against the real registry
process), and the case bundle. Objections are written straight to the database
(tests/requests/disputes/support.py); their own API is tested in tests/requests/objections/."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from requests_service.objections.models import ObjectionState
from requests_service.webhooks.models import WebhookSubscription

from tests.requests.disputes.support import StoredObjection, make_objection, root_calendar
from tests.requests.harness import (
    ROOT_ID,
    AuthStack,
    Minter,
    official,
    requests_settings,
    serve_requests,
)
from tests.requests.people import BUDI, PEOPLE
from tests.requests.support import ZONE, Json, pdf_text, requester
from tests.requests.workflow.registry import app_with_registry, registry_fixtures
from tests.requests.workflow.support import problem
from tests.services.support import database_session, next_url, one_row, rows, scalar
from tests.support.procs import free_port


def local_today() -> dt.date:
    """Today in the demo root's zone (the day a filing defaults to)."""
    return dt.datetime.now(ZoneInfo(ZONE)).date()


FILING = {"ki_level": "provinsi", "ki_registration_no": "REG/KIP/2026/001"}


async def _file(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], body: Json | None = None
) -> httpx.Response:
    return await client.post(f"{path}/dispute", json=body or FILING, headers=headers)


async def _calendar_days(database_url: str, start: dt.date, count: int) -> dt.date:
    async with database_session(database_url) as session:
        calendar = await root_calendar(session)
    return calendar.add_working_days(start, count)


async def test_filing_windows(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    client, db = requests_client, requests_database
    # On time: the Atasan answered yesterday; the requester files with the secret.
    on_time = await make_objection(
        db, state=ObjectionState.DECIDED_UPHELD_PPID, received_days_ago=20, response_days_ago=1
    )
    response = await _file(client, on_time.path, on_time.with_secret())
    assert response.status_code == 201, response.text
    view = response.json()
    filed_on = dt.date.fromisoformat(view["filed_on"])
    assert view["filed_late"] is False
    assert view["warnings"] == []
    assert view["filing_due"] == on_time.objection.dispute_due.isoformat()  # type: ignore[union-attr]
    assert view["stage"] == "registered"
    assert view["version"] == 1
    assert view["ki_start_due"] == (await _calendar_days(db, filed_on, 14)).isoformat()
    assert view["ki_finish_due"] == (await _calendar_days(db, filed_on, 100)).isoformat()
    assert response.headers["etag"]
    state, reaction = await one_row(
        db, "SELECT state, requester_reaction FROM objections WHERE id = :id", id=on_time.id
    )
    assert state == "escalated_to_ki"
    assert reaction == "not_satisfied"
    problem(await _file(client, on_time.path, on_time.with_secret()), 409)

    # Late (response 40 days ago, > 14 WD): recorded, flagged, warned; never refused.
    late = await make_objection(
        db, state=ObjectionState.DECIDED_UPHELD_REQUESTER, received_days_ago=80,
        response_days_ago=40,
    )  # fmt: skip
    dinkes = official(minter, "ppid.dinkes")
    response = await _file(client, late.path, dinkes)
    assert response.status_code == 201, response.text
    assert response.json()["filed_late"] is True
    assert "Pasal 37" in response.json()["warnings"][0]
    english = await _file(client, late.path, {**dinkes, "Accept-Language": "en"})
    problem(english, 409)

    # No response by D30 (UU 36(2)): the requester's account may go to the KI.
    account = uuid.uuid4()
    silent = await make_objection(
        db, state=ObjectionState.WITH_ATASAN, received_days_ago=60, account=account
    )
    response = await _file(client, silent.path, requester(minter, account))
    assert response.status_code == 201, response.text
    due = await _calendar_days(db, silent.objection.response_due, 14)
    assert response.json()["filing_due"] == due.isoformat()

    # Undecided before D30: refused, nothing changes.
    early = await make_objection(db, state=ObjectionState.WITH_ATASAN, received_days_ago=1)
    body = problem(
        await _file(client, early.path, early.with_secret()), 409, "dispute-invalid-transition"
    )
    assert "30 hari kerja" in body["detail"]
    count = "SELECT count(*) FROM disputes WHERE objection_id = :id"
    assert await scalar(db, count, id=early.id) == 0
    state = await scalar(db, "SELECT state FROM objections WHERE id = :id", id=early.id)
    assert state == "with_atasan"


async def test_who_may_file_and_idempotency(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    client, db = requests_client, requests_database
    stored = await make_objection(
        db, state=ObjectionState.DECIDED_UPHELD_PPID, received_days_ago=10, response_days_ago=2
    )
    problem(await _file(client, stored.path, requester(minter)), 404)  # another account
    problem(await _file(client, stored.path, {"X-Tracking-Secret": "wrong-secret"}), 404)
    problem(await _file(client, stored.path, official(minter, "ppid.disdik")), 404)
    problem(await _file(client, stored.path, official(minter, "auditor")), 403)
    bad = {**FILING, "filed_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()}
    problem(await _file(client, stored.path, stored.with_secret(), bad), 422)
    problem(await _file(client, stored.path, stored.with_secret(), {"ki_level": "desa"}), 422)
    headers = official(minter, "petugas") | {"Idempotency-Key": f"dispute-{stored.id}"}
    first = await _file(client, stored.path, headers)
    again = await _file(client, stored.path, headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    events = "SELECT count(*) FROM dispute_events WHERE dispute_id = :id"
    assert await scalar(db, events, id=uuid.UUID(first.json()["id"])) == 1
    audit = "SELECT count(*) FROM audit_log WHERE action = 'dispute.file' AND object_id = :id"
    assert await scalar(db, audit, id=first.json()["id"]) == 1


async def test_the_webhook_carries_no_personal_data(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    client_id = f"portal-{uuid.uuid4().hex[:8]}"
    async with database_session(requests_database) as session:
        session.add(
            WebhookSubscription(
                client_id=client_id,
                root_id=ROOT_ID,
                url="http://127.0.0.1:9/hook",
                event_types=["dispute.updated"],
                secret_ciphertext=b"not-used-here",
                secret_key_id="dev",
            )
        )
    stored = await make_objection(
        requests_database, state=ObjectionState.DECIDED_UPHELD_PPID, received_days_ago=5,
        response_days_ago=1, client_id=client_id, agent=BUDI,
    )  # fmt: skip
    filed = await _file(requests_client, stored.path, stored.with_secret())
    assert filed.status_code == 201, filed.text
    found = await rows(
        requests_database,
        "SELECT d.payload FROM webhook_deliveries d JOIN webhook_subscriptions s "
        "ON s.id = d.subscription_id WHERE s.client_id = :client",
        client=client_id,
    )
    assert len(found) == 1
    payload = found[0][0]
    assert payload["type"] == "dispute.updated"
    assert payload["data"]["dispute_id"] == filed.json()["id"]
    assert payload["data"]["stage"] == "registered"
    text = json.dumps(payload)
    for person in PEOPLE:
        assert person.name not in text
        assert all(value not in text for value in person.secrets)


async def _step(
    client: httpx.AsyncClient,
    path: str,
    step: str,
    headers: dict[str, str],
    etag: str | None,
    body: Json,
) -> httpx.Response:
    sent = headers if etag is None else {**headers, "If-Match": etag}
    return await client.post(f"{path}/dispute/{step}", json=body, headers=sent)


async def _ok(
    client: httpx.AsyncClient, path: str, step: str, headers: dict[str, str], etag: str, body: Json
) -> tuple[Json, str]:
    response = await _step(client, path, step, headers, etag, body)
    assert response.status_code == 200, response.text
    view: Json = response.json()
    return view, response.headers["etag"]


async def test_stages_decision_and_compliance(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    client, db = requests_client, requests_database
    stored = await make_objection(
        db, state=ObjectionState.DECIDED_UPHELD_PPID, received_days_ago=30, response_days_ago=20
    )
    path, dinkes = stored.path, official(minter, "ppid.dinkes")
    filed = await _file(client, path, stored.with_secret(), {**FILING, "filed_on": None})
    assert filed.status_code == 201, filed.text
    filed_on = dt.date.fromisoformat(filed.json()["filed_on"])
    read = await client.get(f"{path}/dispute", headers=stored.with_secret())
    assert read.status_code == 200
    assert read.json()["events"][0]["action"] == "file"
    etag = read.headers["etag"]
    cached = await client.get(f"{path}/dispute", headers=dinkes | {"If-None-Match": etag})
    assert cached.status_code == 304
    problem(await client.get(f"{path}/dispute", headers=requester(minter)), 404)

    today = local_today()
    mediation = {"stage": "mediation", "happened_on": today.isoformat(), "note": "Sidang 1"}
    problem(await _step(client, path, "stages", dinkes, None, mediation), 428)
    problem(await _step(client, path, "stages", dinkes, '"stale"', mediation), 412)
    problem(await _step(client, path, "stages", official(minter, "auditor"), etag, mediation), 403)
    problem(await _step(client, path, "stages", stored.with_secret(), etag, mediation), 401)
    early = {**mediation, "happened_on": (filed_on - dt.timedelta(days=1)).isoformat()}
    problem(await _step(client, path, "stages", dinkes, etag, early), 422)
    court_now = {"stage": "court", "happened_on": today.isoformat(), "court_stage": "ptun"}
    problem(await _step(client, path, "stages", dinkes, etag, court_now), 409)
    view, etag = await _ok(client, path, "stages", dinkes, etag, mediation)
    # UU Pasal 38(2): the 100 WD now run from the start of the KI's process.
    assert view["stage"] == "mediation"
    assert view["ki_finish_due"] == (await _calendar_days(db, today, 100)).isoformat()
    adjudication = {"stage": "adjudication", "happened_on": today.isoformat()}
    view, etag = await _ok(client, path, "stages", official(minter, "petugas"), etag, adjudication)

    decision = {
        "decision": "Menolak permohonan pemohon; informasi tetap dikecualikan.",
        "decision_date": today.isoformat(),
        "outcome": "refused",
        "compliance_due": (today + dt.timedelta(days=14)).isoformat(),
    }
    view, etag = await _ok(client, path, "decision", dinkes, etag, decision)
    assert view["stage"] == "decided"
    assert view["outcome"] == "refused"
    assert view["cassation_due"] is None
    assert view["dip_entry_id"] is None
    problem(await _step(client, path, "decision", dinkes, etag, decision), 409)
    problem(await _step(client, path, "stages", dinkes, etag, mediation), 409)
    problem(
        await _step(client, path, "stages", dinkes, etag, {**court_now, "court_stage": None}), 422
    )
    cassation = {"stage": "cassation", "happened_on": today.isoformat(), "court_stage": "ma"}
    problem(await _step(client, path, "stages", dinkes, etag, cassation), 409)
    court = {**court_now, "court_case_no": "12/G/KI/2026/PTUN.BDG"}
    view, etag = await _ok(client, path, "stages", dinkes, etag, court)
    assert view["court_stage"] == "ptun"
    assert view["court_case_no"] == court["court_case_no"]
    court_decision = {**decision, "outcome": "information_opened", "compliance_due": None}
    court_decision["outcome"] = "fee_decided"  # no DIP task (tested with the registry)
    view, etag = await _ok(client, path, "decision", dinkes, etag, court_decision)
    assert view["stage"] == "court"
    assert view["outcome"] == "fee_decided"
    # UU Pasal 50: cassation within 14 calendar days of the court's decision.
    assert view["cassation_due"] == (today + dt.timedelta(days=14)).isoformat()

    complied = {"note": "Putusan dilaksanakan."}
    view, etag = await _ok(client, path, "compliance", dinkes, etag, complied)
    assert view["complied_at"] is not None
    problem(await _step(client, path, "compliance", dinkes, etag, complied), 409)
    view, etag = await _ok(client, path, "stages", dinkes, etag, cassation)
    assert view["stage"] == "cassation"
    closed = {"stage": "closed", "happened_on": today.isoformat()}
    view, etag = await _ok(client, path, "stages", dinkes, etag, closed)
    problem(await _step(client, path, "stages", dinkes, etag, closed), 409)
    actions = [event["action"] for event in view["events"]]
    assert actions == [
        "file", "stage.mediation", "stage.adjudication", "decide", "stage.court", "decide",
        "comply", "stage.cassation", "stage.closed",
    ]  # fmt: skip
    audited = "SELECT count(*) FROM audit_log WHERE object_id = :id AND action LIKE 'dispute.%'"
    assert await scalar(db, audited, id=view["id"]) == len(actions)


async def test_list_of_disputes(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    client, db = requests_client, requests_database
    stored = await make_objection(
        db, state=ObjectionState.DECIDED_UPHELD_PPID, received_days_ago=5, response_days_ago=1
    )
    filed = await _file(client, stored.path, stored.with_secret())
    assert filed.status_code == 201
    dispute_id = filed.json()["id"]
    seen: list[str] = []
    url: str | None = "/v1/objections/disputes?limit=2&stage=registered"
    while url is not None:
        page = await client.get(url, headers=official(minter, "ppid.dinkes"))
        assert page.status_code == 200, page.text
        seen += [item["id"] for item in page.json()["items"]]
        assert all(item["stage"] == "registered" for item in page.json()["items"])
        url = next_url(page)
    assert dispute_id in seen
    assert len(seen) == len(set(seen))
    other = await client.get("/v1/objections/disputes", headers=official(minter, "ppid.disdik"))
    assert other.status_code == 200
    assert dispute_id not in {i["id"] for i in other.json()["items"]}
    year = local_today().year - 1
    none = await client.get(
        f"/v1/objections/disputes?year={year}&stage=registered",
        headers=official(minter, "ppid.utama"),
    )
    assert dispute_id not in {i["id"] for i in none.json()["items"]}
    problem(await client.get("/v1/objections/disputes", headers=requester(minter)), 403)
    problem(await client.get("/v1/objections/disputes"), 401)


def _members(response: httpx.Response) -> dict[str, bytes]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


async def test_case_bundle(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter
) -> None:
    client, db = requests_client, requests_database
    account = uuid.uuid4()
    stored = await make_objection(
        db, state=ObjectionState.DECIDED_UPHELD_PPID, received_days_ago=12, response_days_ago=2,
        account=account, agent=BUDI, refused_request=True,
    )  # fmt: skip
    path = f"{stored.path}/case-bundle.zip"
    members = _members(await client.get(path, headers=requester(minter, account)))
    names = sorted(members)
    assert names[-1] == "README.txt"
    assert [name[:3] for name in names[:-1]] == ["01-", "02-", "03-", "04-", "05-"]
    expected = {
        "01-": "Tanda Bukti Penerimaan Permohonan",
        "02-": "Pemberitahuan Tertulis",
        "03-": "Keputusan PPID tentang Penolakan",
        "04-": "Formulir Keberatan",
        "05-": "Tanggapan atas Keberatan",
    }
    for name in names[:-1]:
        assert members[name].startswith(b"%PDF"), name
        assert expected[name[:3]] in pdf_text(members[name]), name
    readme = members["README.txt"].decode("utf-8")
    assert stored.objection.objection_number in readme
    assert "KTP" in readme
    assert all(name in readme for name in names[:-1])
    # The secret's holder and reader officials of the unit get it too; nobody else.
    assert len(_members(await client.get(path, headers=stored.with_secret()))) == 6
    assert len(_members(await client.get(path, headers=official(minter, "auditor")))) == 6
    problem(await client.get(path, headers=requester(minter)), 404)
    problem(await client.get(path, headers=official(minter, "ppid.disdik")), 404)
    problem(await client.get(path), 404)
    problem(await client.get(f"/v1/objections/{uuid.uuid4()}/case-bundle.zip"), 404)
    audited = (
        "SELECT count(*) FROM audit_log "
        "WHERE action = 'objection.case_bundle.read' AND object_id = :id"
    )
    assert await scalar(db, audited, id=str(stored.id)) == 3

    # Reason (b) alone, not yet answered: only the objection's receipt and the README.
    periodic = await make_objection(db, with_request=False, received_days_ago=1)
    members = _members(await client.get(f"{periodic.path}/case-bundle.zip",
                                        headers=periodic.with_secret()))  # fmt: skip
    assert sorted(members)[0].startswith("04-tanda-bukti-keberatan")
    assert len(members) == 2
    assert "belum memberikan tanggapan" in members["README.txt"].decode("utf-8")


# A decision opening information leaves a DIP task in the registry (UU Pasal 11(2)):
# against the real registry process, the draft DIP entry is created there with the
# official's own token and its id kept in `dip_entry_id`. With the registry down, or
# refusing (a petugas layanan is no DIP editor there), the decision is not recorded (503,
# `Retry-After`) and the dispute is left as it was.


registry_database, registry = registry_fixtures("_for_disputes")


with_registry = app_with_registry("with_registry")


@pytest.fixture
async def registry_down(
    auth_stack: AuthStack, requests_database: str, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """The app pointed at a port where no registry listens."""
    dead = f"http://127.0.0.1:{free_port()}"
    settings = requests_settings(auth_stack, requests_database, tmp_path, registry_url=dead)
    async with serve_requests(settings) as app:
        yield app


def opened(today: dt.date) -> Json:
    return {
        "decision": "Membuka informasi yang dimohon kepada pemohon.",
        "decision_date": today.isoformat(),
        "outcome": "information_opened",
        "compliance_due": (today + dt.timedelta(days=14)).isoformat(),
    }


async def _disputed(client: httpx.AsyncClient, database_url: str) -> tuple[StoredObjection, str]:
    stored = await make_objection(
        database_url,
        state=ObjectionState.DECIDED_UPHELD_PPID,
        received_days_ago=20,
        response_days_ago=3,
    )
    filed = await client.post(
        f"{stored.path}/dispute", json={"ki_level": "provinsi"}, headers=stored.with_secret()
    )
    assert filed.status_code == 201, filed.text
    return stored, filed.headers["etag"]


async def test_an_opening_decision_creates_a_draft_dip_entry(
    with_registry: httpx.AsyncClient,
    requests_database: str,
    registry_database: str,
    minter: Minter,
) -> None:
    client = with_registry
    stored, etag = await _disputed(client, requests_database)
    today = dt.datetime.now(ZoneInfo(ZONE)).date()
    headers = official(minter, "ppid.dinkes") | {"If-Match": etag}
    response = await client.post(
        f"{stored.path}/dispute/decision", json=opened(today), headers=headers
    )
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["stage"] == "decided"
    assert view["dip_entry_id"] is not None
    status, unit_id, number, summary = await one_row(
        registry_database,
        "SELECT status, unit_id, number, summary FROM dip_entries WHERE id = :id",
        id=view["dip_entry_id"],
    )
    assert status == "draft"
    assert unit_id == stored.objection.unit_id
    assert number == f"PKI-{stored.objection.year}-{stored.objection.seq:05d}"
    assert stored.objection.objection_number in summary
    assert "Pasal 11" in summary
    assert stored.request is not None
    assert stored.request.number in summary


async def test_registry_down_or_refusing_records_nothing(
    with_registry: httpx.AsyncClient,
    registry_down: httpx.AsyncClient,
    requests_database: str,
    minter: Minter,
) -> None:
    today = dt.datetime.now(ZoneInfo(ZONE)).date()
    stored, etag = await _disputed(registry_down, requests_database)
    path = f"{stored.path}/dispute/decision"
    headers = official(minter, "ppid.dinkes") | {"If-Match": etag}
    down = await registry_down.post(path, json=opened(today), headers=headers)
    problem(down, 503)
    assert down.headers["retry-after"]
    # A petugas layanan handles the objection here but is no DIP editor in the registry.
    petugas = official(minter, "petugas") | {"If-Match": etag}
    problem(await with_registry.post(path, json=opened(today), headers=petugas), 503)
    after = await with_registry.get(f"{stored.path}/dispute", headers=stored.with_secret())
    assert after.headers["etag"] == etag
    assert after.json()["stage"] == "registered"
    assert after.json()["decision"] is None
    assert [event["action"] for event in after.json()["events"]] == ["file"]
