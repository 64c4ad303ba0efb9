"""`/v1/statistics/objections`: objections by reason, outcome, response time and overdue;
disputes by level, stage, outcome, court cases and compliance (DOMAIN.md 15.2); small
cells suppressed in the public view only; the period; who reads the full view.

Every objection is received on Monday 3 February 2025 (default calendar: no holiday in
February or March 2025), so its response is due 17 March (30 WD). Working days to the
response: 10 Feb = 5, 17 Feb = 10, 3 Mar = 20, 24 Mar = 35.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from requests_service.core.models import Channel
from requests_service.disputes.models import Dispute, DisputeOutcome, DisputeStage, KiLevel
from requests_service.objections.models import Objection, ObjectionDecision, ObjectionState

from tests.requests.harness import DINKES_ID, DISDIK_ID, ROOT_ID, AuthStack, official
from tests.requests.support import new_request, requester
from tests.services.support import database_session

URL = "/v1/statistics/objections"
OFFICIAL = f"{URL}/official"
JAKARTA = ZoneInfo("Asia/Jakarta")
FEB3 = dt.date(2025, 2, 3)
WD = {
    5: dt.date(2025, 2, 10),
    10: dt.date(2025, 2, 17),
    20: dt.date(2025, 3, 3),
    30: dt.date(2025, 3, 17),
    35: dt.date(2025, 3, 24),
}
U = ObjectionDecision
S = ObjectionState
# unit, reasons, decision, working days to the response, state, extra columns
OBJECTIONS: list[tuple[uuid.UUID, list[str], U | None, int | None, S, dict[str, Any]]] = [
    (DINKES_ID, ["a"], U.UPHELD_PPID, 5, S.ESCALATED_TO_KI, {}),
    (DINKES_ID, ["a", "c"], U.UPHELD_REQUESTER, 10, S.ORDER_EXECUTED, {"executed": True}),
    (DINKES_ID, ["c"], U.UPHELD_REQUESTER, 20, S.SETTLED, {"executed": True}),
    (DINKES_ID, ["f"], U.SETTLED_BY_CONSULTATION, 35, S.SETTLED, {}),
    (DINKES_ID, ["e"], None, None, S.WITH_ATASAN, {}),
    (DINKES_ID, ["g"], None, None, S.WITHDRAWN, {}),
    (DINKES_ID, ["b"], U.UPHELD_REQUESTER, 10, S.SETTLED, {"late": True, "no_request": True}),
    (DISDIK_ID, ["d"], U.UPHELD_PPID, 5, S.ESCALATED_TO_KI, {}),
    (DINKES_ID, ["c"], None, None, S.WITH_ATASAN, {"received": dt.date(2025, 7, 7)}),
    (DINKES_ID, ["c"], None, None, S.WITH_ATASAN, {"received": dt.date(2024, 11, 4)}),
]
_SEQ = itertools.count(1)


def _objection(
    spec: tuple[uuid.UUID, list[str], U | None, int | None, S, dict[str, Any]],
    request_id: uuid.UUID | None,
) -> Objection:
    unit, reasons, decision, days, state, extra = spec
    received = extra.get("received", FEB3)
    seq = next(_SEQ)
    response = WD[days] if days is not None else None
    return Objection(
        root_id=ROOT_ID,
        unit_id=unit,
        request_id=request_id,
        year=received.year,
        seq=seq,
        objection_number=f"KOTA-CONTOH/STAT/KB/{received.year}/{seq:05d}",
        channel=Channel.ONLINE,
        reasons=reasons,
        purpose="Penelitian",
        case_position="Permohonan tidak dipenuhi",
        reason_discovered_on=received - dt.timedelta(days=3),
        filing_due=received + dt.timedelta(days=40),
        filed_late=extra.get("late", False),
        received_at=dt.datetime(received.year, received.month, received.day, 9, tzinfo=JAKARTA),
        receipt_date=received,
        response_due=WD[30] if received == FEB3 else received + dt.timedelta(days=42),
        calendar_version=0,
        time_zone="Asia/Jakarta",
        state=state,
        decision=decision,
        response_date=response,
        response_number=None if response is None else f"TK/STAT/{seq}",
        decision_reasons="Dikecualikan" if decision is U.UPHELD_PPID else None,
        order_text="Berikan informasinya" if decision is U.UPHELD_REQUESTER else None,
        order_due=response + dt.timedelta(days=14)
        if response and decision is U.UPHELD_REQUESTER
        else None,
        order_executed_at=dt.datetime(2025, 3, 20, 10, tzinfo=JAKARTA)
        if extra.get("executed")
        else None,
        tracking_secret_hash="0" * 64,
    )


def _dispute(objection: Objection, filed: dt.date, **fields: Any) -> Dispute:
    return Dispute(
        objection_id=objection.id,
        request_id=objection.request_id,
        root_id=ROOT_ID,
        unit_id=objection.unit_id,
        filed_on=filed,
        time_zone="Asia/Jakarta",
        calendar_version=0,
        **fields,
    )


@pytest.fixture(scope="module")
async def seeded(requests_database: str) -> None:
    async with database_session(requests_database) as session:
        objections = []
        for spec in OBJECTIONS:
            request_id = None
            if not spec[5].get("no_request"):
                request, _ = new_request(unit_id=spec[0])
                session.add(request)
                request_id = request.id
            objections.append(_objection(spec, request_id))
        await session.flush()
        session.add_all(objections)
        await session.flush()
        session.add_all(
            [
                _dispute(
                    objections[0],
                    dt.date(2025, 2, 20),
                    ki_level=KiLevel.PROVINSI,
                    stage=DisputeStage.DECIDED,
                    outcome=DisputeOutcome.INFORMATION_OPENED,
                    compliance_due=dt.date(2025, 5, 2),
                    complied_at=dt.datetime(2025, 5, 10, 10, tzinfo=JAKARTA),
                ),
                _dispute(
                    objections[7],
                    dt.date(2025, 2, 24),
                    ki_level=KiLevel.PROVINSI,
                    stage=DisputeStage.COURT,
                    outcome=DisputeOutcome.REFUSED,
                    court_stage="ptun",
                ),
                _dispute(
                    objections[2],
                    dt.date(2025, 3, 10),
                    ki_level=KiLevel.KABUPATEN_KOTA,
                    stage=DisputeStage.MEDIATION,
                ),
            ]
        )


async def _get(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any
) -> dict[str, Any]:
    response = await client.get(path, params={"root": str(ROOT_ID), **params}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_official_figures_in_full(
    seeded: None, requests_client: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    headers = official(auth_stack.minter, "ppid.utama")
    body = await _get(requests_client, OFFICIAL, headers, year=2025, semester=1)
    assert body["suppression"] is False
    objections = body["total"]["objections"]
    assert objections == {
        "received": 8,
        "by_reason": {"a": 2, "b": 1, "c": 2, "d": 1, "e": 1, "f": 1, "g": 1},
        "outcomes": {
            "accepted": 3,
            "refused": 2,
            "settled_by_consultation": 1,
            "withdrawn": 1,
            "pending": 1,
        },
        "response_time": {"count": 6, "mean": 14.17, "median": 10.0, "max": 35},
        "overdue": 2,  # answered on day 35; still pending past 17 March
        "filed_late": 1,
        "order_executed": 2,
        "escalated_to_ki": 2,
        "suppressed": [],
    }
    disputes = body["total"]["disputes"]
    assert disputes == {
        "received": 3,
        "by_ki_level": {"pusat": 0, "provinsi": 2, "kabupaten_kota": 1},
        "by_stage": {
            "registered": 0,
            "mediation": 1,
            "adjudication": 0,
            "decided": 1,
            "court": 1,
            "cassation": 0,
            "closed": 0,
        },
        "outcomes": {
            "information_opened": 1,
            "refused": 1,
            "fee_decided": 0,
            "settled_by_mediation": 0,
            "withdrawn": 0,
            "pending": 1,
        },
        "filed_late": 0,
        "court_cases": 1,
        "compliance_required": 1,
        "complied": 1,
        "complied_late": 1,
        "not_complied_overdue": 0,
        "suppressed": [],
    }
    units = {u["unit_id"]: u for u in body["units"]}
    assert units[str(DINKES_ID)]["objections"]["received"] == 7
    assert units[str(DISDIK_ID)]["objections"]["outcomes"]["refused"] == 1
    assert units[str(DISDIK_ID)]["disputes"]["court_cases"] == 1
    assert units[str(DINKES_ID)]["disputes"]["received"] == 2


async def test_public_figures_suppress_small_counts(
    seeded: None, requests_client: httpx.AsyncClient
) -> None:
    body = await _get(requests_client, URL, {}, year=2025, semester=1)
    assert body["suppression"] is True
    objections = body["total"]["objections"]
    assert objections["received"] == 8
    assert objections["outcomes"]["accepted"] == 3
    assert objections["outcomes"]["refused"] is None
    assert set(objections["by_reason"].values()) == {None}
    assert objections["response_time"] == {"count": 6, "mean": 14.17, "median": 10.0, "max": 35}
    assert objections["overdue"] is None
    for cell in ("by_reason.a", "outcomes.refused", "overdue", "filed_late"):
        assert cell in objections["suppressed"], cell
    disputes = body["total"]["disputes"]
    assert disputes["received"] == 3
    assert disputes["by_ki_level"]["provinsi"] is None
    assert disputes["by_ki_level"]["pusat"] == 0
    assert "court_cases" in disputes["suppressed"]
    disdik = next(u for u in body["units"] if u["unit_id"] == str(DISDIK_ID))
    assert disdik["objections"]["received"] is None
    assert disdik["objections"]["response_time"]["count"] is None  # over one objection
    assert "response_time" in disdik["objections"]["suppressed"]


async def test_period_and_scope(
    seeded: None, requests_client: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    headers = official(auth_stack.minter, "ppid.dinkes")
    year = await _get(requests_client, OFFICIAL, headers, year=2025, unit_id=str(DINKES_ID))
    assert year["total"]["objections"]["received"] == 8  # July's counts for the year
    assert [u["unit_id"] for u in year["units"]] == [str(DINKES_ID)]
    july = await _get(requests_client, OFFICIAL, headers, year=2025, month=7, unit_id=DINKES_ID)
    assert july["total"]["objections"]["received"] == 1
    assert july["total"]["disputes"]["received"] == 0
    earlier = await _get(requests_client, URL, {}, year=2024)
    assert earlier["total"]["objections"]["received"] is None  # one objection, suppressed
    assert earlier["total"]["objections"]["outcomes"]["pending"] is None


async def test_who_reads_the_full_view(
    seeded: None, requests_client: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    minter = auth_stack.minter
    params = {"root": str(ROOT_ID), "year": "2025"}
    assert (await requests_client.get(OFFICIAL, params=params)).status_code == 401
    as_requester = await requests_client.get(OFFICIAL, params=params, headers=requester(minter))
    assert as_requester.status_code == 403
    dinkes = official(minter, "ppid.dinkes")
    assert (await requests_client.get(OFFICIAL, params=params, headers=dinkes)).status_code == 403
    theirs = await requests_client.get(
        OFFICIAL, params={**params, "unit_id": str(DISDIK_ID)}, headers=dinkes
    )
    assert theirs.status_code == 403
    for local in ("atasan", "auditor"):
        full = await requests_client.get(OFFICIAL, params=params, headers=official(minter, local))
        assert full.status_code == 200
        assert full.headers["Cache-Control"] == "private, no-cache"
    public = await requests_client.get(URL, params=params)
    assert public.headers["Cache-Control"] == "public, max-age=300"
    again = await requests_client.get(
        URL, params=params, headers={"If-None-Match": public.headers["ETag"]}
    )
    assert again.status_code == 304
    unknown = await requests_client.get(URL, params={**params, "root": str(uuid.uuid4())})
    assert unknown.status_code == 404
    both = await requests_client.get(URL, params={**params, "semester": "1", "month": "2"})
    assert both.status_code == 422
