"""GET /v1/statistics/readiness against a real registry process (DIP freshness) and
requests and objections written straight to the database (DOMAIN.md 16).

Dinas Kesehatan: two berkala entries (one stale), one setiap-saat entry; six requests of
the year (on time, notice late, delivery late, open past D10, not yet due, withdrawn
before its notice); an objection decided in time and one past D30 unanswered. Dinas
Pendidikan: one request on time, nothing in the DIP. RSUD: one request never delivered.
The root: a cost standard, no calendar policy, this year's DIP decree.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from auth_service.demo.data import RSUD
from registry_service.models import DipCategory
from requests_service.core.access import hash_secret
from requests_service.core.models import Channel, NoticeOutcome, RequestState
from requests_service.core.views import end_of_day
from requests_service.objections.models import Objection, ObjectionDecision, ObjectionState
from requests_service.readiness.scoring import SPECS, ItemKey, category_of, mean_score
from requests_service.workflow.models import FeeSchedule

from tests.registry.dik.support import add_dip_entry
from tests.requests.harness import (
    DINKES_ID,
    DISDIK_ID,
    ROOT_ID,
    AuthStack,
    official,
    requests_settings,
    serve_requests,
)
from tests.requests.people import BUDI, SITI, WAYAN
from tests.requests.support import Json, requester, store_request
from tests.requests.workflow.registry import app_with_registry, registry_fixtures
from tests.services.support import database_session, execute
from tests.support.procs import free_port

URL = "/v1/statistics/readiness"
JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime.now(dt.UTC)
PAST = NOW - dt.timedelta(days=60)  # every deadline of a request received then has passed
YEAR = PAST.astimezone(JAKARTA).year
DIP_YEAR = NOW.astimezone(JAKARTA).year


registry_database, registry = registry_fixtures("_for_readiness")


@pytest.fixture(scope="module")
async def dip(registry_database: str) -> uuid.UUID:
    """Dinkes' DIP (one stale berkala entry) and the root's decree of this year."""
    await add_dip_entry(registry_database, title="Laporan Keuangan")
    stale = await add_dip_entry(registry_database, title="Profil Dinas Kesehatan")
    await add_dip_entry(registry_database, category=DipCategory.SETIAP_SAAT)
    await execute(
        registry_database,
        "UPDATE dip_entries SET updated_at = now() - interval '40 days' WHERE id = :id",
        id=stale,
    )
    await execute(
        registry_database,
        "INSERT INTO dip_decrees (id, root_id, year, number, decree_date) "
        "VALUES (:id, :root, :year, 'SK-DIP-READY', make_date(:year, 1, 15))",
        id=uuid.uuid4(),
        root=ROOT_ID,
        year=DIP_YEAR,
    )
    return stale


def _objection(**fields: Any) -> Objection:
    seq = secrets.randbelow(10**8)
    received = PAST
    values: dict[str, Any] = {
        "root_id": ROOT_ID,
        "unit_id": DINKES_ID,
        "year": YEAR,
        "seq": seq,
        "objection_number": f"KOTA-CONTOH/DINKES/KB/{YEAR}/{seq:08d}",
        "channel": Channel.ONLINE,
        "reasons": ["b"],
        "purpose": "Informasi berkala belum diumumkan",
        "case_position": "Laporan keuangan tidak tersedia di situs.",
        "reason_discovered_on": received.astimezone(JAKARTA).date(),
        "filing_due": received.astimezone(JAKARTA).date() + dt.timedelta(days=42),
        "received_at": received,
        "receipt_date": received.astimezone(JAKARTA).date(),
        "response_due": received.astimezone(JAKARTA).date() + dt.timedelta(days=42),
        "calendar_version": 0,
        "time_zone": "Asia/Jakarta",
        "state": ObjectionState.FILED,
        "tracking_secret_hash": hash_secret(secrets.token_urlsafe(16)),
        **fields,
    }
    return Objection(**values)


@pytest.fixture(scope="module")
async def seeded(requests_database: str) -> dict[str, uuid.UUID]:
    """The requests, objections and the root's cost standard; the ids worth asserting."""
    async with database_session(requests_database) as session:
        on_time = await store_request(session, SITI, received_at=PAST)
        due = on_time.request.notice_due
        after_due = end_of_day(due, "Asia/Jakarta") + dt.timedelta(hours=1)
        early = PAST + dt.timedelta(hours=1)
        for made, fields in (
            (
                on_time,
                {"notice_sent_at": early, "promised_delivery_date": due, "delivered_at": early},
            ),
            (await store_request(session, BUDI, received_at=PAST), {"notice_sent_at": after_due}),
            (
                await store_request(session, WAYAN, received_at=PAST),
                {
                    "notice_sent_at": early,
                    "promised_delivery_date": due,
                    "delivered_at": after_due + dt.timedelta(days=5),
                },
            ),
        ):
            for name, value in {"state": RequestState.CLOSED, **fields}.items():
                setattr(made.request, name, value)
            made.request.notice_outcome = NoticeOutcome.GRANTED_FULL
            session.add(made.request)
        overdue = await store_request(
            session, SITI, received_at=PAST, state=RequestState.IN_PROCESS
        )
        await store_request(
            session,
            BUDI,
            received_at=PAST,
            state=RequestState.EXTENDED,
            extended_due=NOW.date() + dt.timedelta(days=30),
            extension_reason="Informasi masih dihimpun dari beberapa puskesmas.",
        )
        await store_request(session, WAYAN, received_at=PAST, state=RequestState.WITHDRAWN)
        disdik = await store_request(session, SITI, received_at=PAST, unit_id=DISDIK_ID)
        disdik.request.state = RequestState.CLOSED
        disdik.request.notice_sent_at = early
        session.add(disdik.request)
        # RSUD: granted in time, never delivered by the promised date.
        undelivered = await store_request(
            session, BUDI, received_at=PAST, unit_id=RSUD.id, state=RequestState.NOTICE_SENT
        )
        undelivered.request.notice_sent_at = early
        undelivered.request.promised_delivery_date = undelivered.request.notice_due
        session.add(undelivered.request)
        late_objection = _objection(response_due=(NOW - dt.timedelta(days=10)).date())
        session.add(late_objection)
        session.add(
            _objection(
                state=ObjectionState.DECIDED_UPHELD_PPID,
                decision=ObjectionDecision.UPHELD_PPID,
                decision_reasons="Informasi telah diumumkan.",
                decided_at=PAST + dt.timedelta(days=5),
                response_date=(PAST + dt.timedelta(days=5)).astimezone(JAKARTA).date(),
            )
        )
        session.add(FeeSchedule(root_id=ROOT_ID))
    return {
        "overdue": overdue.id,
        "late_objection": late_objection.id,
        "undelivered": undelivered.id,
    }


client = app_with_registry()


def _params(**more: object) -> dict[str, str]:
    return {"root": str(ROOT_ID), "year": str(YEAR), **{k: str(v) for k, v in more.items()}}


def _unit(report: Json, unit_id: uuid.UUID) -> Json:
    unit: Json = next(u for u in report["units"] if u["unit_id"] == str(unit_id))
    return unit


def _checklist(unit: Json) -> dict[str, Json]:
    return {item["key"]: item for item in unit["checklist"]}


def _expected_score(checklist: dict[str, Json]) -> float:
    """Recomputed here from the weights: met weight over applicable weight."""
    applicable = [k for k, item in checklist.items() if item["applicable"]]
    met = [k for k in applicable if checklist[k]["met"]]
    total = sum(SPECS[ItemKey(k)].weight for k in applicable)
    return round(100 * sum(SPECS[ItemKey(k)].weight for k in met) / total + 1e-9, 1)


async def test_readiness_per_unit(
    client: httpx.AsyncClient, auth_stack: AuthStack, dip: uuid.UUID, seeded: dict[str, uuid.UUID]
) -> None:
    utama = official(auth_stack.minter, "ppid.utama")
    response = await client.get(URL, params=_params(), headers=utama)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["estimate"] == "internal"
    assert "bukan penilaian" in report["note"]
    assert sum(w["weight"] for w in report["weights"]) == 100
    assert report["dip"]["decree"]["number"] == "SK-DIP-READY"
    assert report["units"][0]["unit_id"] == str(ROOT_ID)

    dinkes = _unit(report, DINKES_ID)
    assert dinkes["dip"]["published"] == {
        "berkala": 2,
        "serta_merta": 0,
        "setiap_saat": 1,
        "total": 3,
    }
    assert [e["id"] for e in dinkes["dip"]["stale_berkala"]] == [str(dip)]
    requests = dinkes["requests"]
    assert (requests["received"], requests["measured"]) == (6, 4)
    assert (requests["on_time"], requests["late"], requests["pending"]) == (1, 3, 1)
    assert requests["on_time_share"] == 0.25
    assert (requests["notice_late"], requests["delivery_late"]) == (2, 1)
    assert dinkes["objections"] == {
        "received": 2,
        "decided": 1,
        "decided_on_time": 1,
        "decided_late": 0,
        "open_past_due": 1,
    }
    overdue = dinkes["open_overdue"]
    assert (overdue["requests"], overdue["objections"]) == (1, 1)
    assert {(i["kind"], i["id"]) for i in overdue["items"]} == {
        ("request_notice", str(seeded["overdue"])),
        ("objection_response", str(seeded["late_objection"])),
    }
    items = _checklist(dinkes)
    met = {key for key, item in items.items() if item["met"]}
    assert met == {
        "dip_decree",
        "dip_berkala",
        "dip_setiap_saat",
        "updated_recently",
        "request_register",
        "cost_standard",
        "ppid_designated",
    }
    assert all(item["applicable"] for item in items.values())
    assert items["dip_decree"]["evidence"] == (
        f"Ditetapkan dengan nomor SK-DIP-READY tanggal 15 Januari {DIP_YEAR}"
    )
    assert items["requests_on_time"]["evidence"] == "1 dari 4 permohonan tepat waktu (25,0 %)"
    assert items["no_stale_berkala"]["evidence"].startswith("1 dari 2 entri berkala")
    # 55 of 100 points.
    assert dinkes["score"] == _expected_score(items) == 55.0
    assert dinkes["category"] == "kurang_informatif"

    disdik = _unit(report, DISDIK_ID)
    assert disdik["requests"]["on_time_share"] == 1.0
    assert disdik["dip"]["published"]["total"] == 0
    items = _checklist(disdik)
    assert items["requests_on_time"]["met"] is True
    assert items["objections_on_time"]["applicable"] is False
    assert items["no_stale_berkala"]["met"] is False  # nothing berkala to be fresh
    assert disdik["score"] == _expected_score(items) == 47.4  # 45 of 95 applicable points
    assert disdik["category"] == "kurang_informatif"

    root = _unit(report, ROOT_ID)
    root_items = _checklist(root)
    assert root_items["ppid_designated"]["met"] is True  # Diskominfo carries the PPID Utama
    assert root_items["service_hours_policy"]["met"] is False  # no calendar_policies row
    assert root_items["requests_on_time"]["applicable"] is False
    assert root["score"] == _expected_score(root_items) == 31.3  # 25 of 80 points

    rsud = _unit(report, RSUD.id)
    assert (rsud["requests"]["late"], rsud["requests"]["delivery_late"]) == (1, 1)
    assert [(i["kind"], i["id"]) for i in rsud["open_overdue"]["items"]] == [
        ("request_delivery", str(seeded["undelivered"]))
    ]
    assert _checklist(rsud)["no_open_overdue_requests"]["met"] is False

    summary = report["summary"]
    scores = [u["score"] for u in report["units"]]
    assert summary["units_assessed"] == len(report["units"])
    assert summary["score"] == mean_score(scores)
    assert summary["category"] == category_of(summary["score"]).value
    assert summary["requests"]["received"] == 8
    assert summary["open_overdue"]["requests"] == 2
    assert sum(summary["units_by_category"].values()) == len(report["units"])

    again = await client.get(
        URL, params=_params(), headers={**utama, "If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    assert "Accept-Language" in again.headers["Vary"]
    english = await client.get(URL, params=_params(), headers={**utama, "Accept-Language": "en"})
    assert "not the Komisi Informasi" in english.json()["note"]
    assert english.headers["Content-Language"] == "en"


async def test_readiness_csv(
    client: httpx.AsyncClient, auth_stack: AuthStack, dip: uuid.UUID, seeded: dict[str, uuid.UUID]
) -> None:
    response = await client.get(
        f"{URL}.csv", params=_params(), headers=official(auth_stack.minter, "auditor")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["kode_unit", "nama_unit", "skor", "kategori"]
    dinkes = next(r for r in rows if r[0] == "kota-contoh.dinkes")
    assert dinkes[2:4] == ["55.0", "Kurang Informatif"]
    assert dinkes[6:10] == ["6", "1", "3", "25.0"]
    assert "bukan penilaian" in rows[-1][1]


async def test_readiness_is_for_root_wide_officials(
    client: httpx.AsyncClient, auth_stack: AuthStack, dip: uuid.UUID, seeded: dict[str, uuid.UUID]
) -> None:
    minter = auth_stack.minter
    assert (await client.get(URL, params=_params())).status_code == 401
    refused = [requester(minter), *(official(minter, r) for r in ("ppid.dinkes", "petugas"))]
    for headers in refused:
        response = await client.get(URL, params=_params(), headers=headers)
        assert response.status_code == 403, response.text
    for local in ("admin", "atasan", "auditor"):
        response = await client.get(URL, params=_params(), headers=official(minter, local))
        assert response.status_code == 200, (local, response.text)
    utama = official(minter, "ppid.utama")
    not_root = await client.get(URL, params={**_params(), "root": str(DINKES_ID)}, headers=utama)
    assert not_root.status_code == 404
    bad_year = await client.get(URL, params=_params(year=1999), headers=utama)
    assert bad_year.status_code == 422


async def test_no_report_while_the_registry_is_down(
    auth_stack: AuthStack, requests_database: str, seeded: dict[str, uuid.UUID], tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    settings = requests_settings(auth_stack, requests_database, tmp_path, registry_url=dead)
    async with serve_requests(settings) as client:
        response = await client.get(
            URL, params=_params(), headers=official(auth_stack.minter, "ppid.utama")
        )
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"]
    assert "Registri DIP" in response.json()["detail"]
