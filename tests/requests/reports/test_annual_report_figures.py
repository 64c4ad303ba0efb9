"""The issue's done-when: the annual report of the demo root, built from a seeded year,
matches the figures computed here from the raw rows inserted (plain Python, our own
working-day count), in JSON, CSV and PDF; the public report never shows a cell under 3."""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from auth_service.demo.data import KELURAHAN
from requests_service.core.models import (
    AccessMethod,
    Channel,
    DeliveryMethod,
    NoticeOutcome,
    RequesterCategory,
    RequestState,
)
from requests_service.disputes.models import DisputeOutcome, DisputeStage, KiLevel
from requests_service.objections.models import ObjectionState
from requests_service.workflow.models import ExemptionGround

from tests.requests.harness import DINKES_ID, ROOT_ID, AuthStack, official
from tests.requests.reports.seed import (
    JAKARTA,
    UNIT_SIZES,
    YEAR,
    Seeded,
    seed,
    working_days_between,
)
from tests.requests.support import pdf_text

URL = "/v1/statistics/annual-report"
Json = dict[str, Any]
Rows = list[dict[str, Any]]
UNITS = [ROOT_ID, *UNIT_SIZES]


@pytest.fixture(scope="module")
async def seeded(requests_database: str) -> Seeded:
    return await seed(requests_database)


def _times(days: list[int]) -> Json:
    if not days:
        return {
            "count": 0,
            **dict.fromkeys(("mean", "median", "max")),
            **dict.fromkeys(("within_10", "from_11_to_17", "over_17"), 0),
        }
    return {
        "count": len(days),
        "mean": round(sum(days) / len(days), 2),
        "median": float(statistics.median(days)),
        "max": max(days),
        "within_10": sum(d <= 10 for d in days),
        "from_11_to_17": sum(11 <= d <= 17 for d in days),
        "over_17": sum(d > 17 for d in days),
    }


def _by(rows: Rows, key: str, values: Any) -> dict[str, int]:
    return {v.value: sum(r.get(key) == v for r in rows) for v in values}


def expected_requests(rows: Rows, decrees: dict[uuid.UUID, Json]) -> Json:
    """Section 3's figures of `rows`, straight from the inserted values."""
    outcomes = _by(rows, "notice_outcome", NoticeOutcome)
    reasons = dict.fromkeys([g.value for g in ExemptionGround], 0) | {
        "other_law": 0,
        "not_held": outcomes["not_held_unknown"],
        "not_documented": outcomes["not_documented"],
        "forwarded": outcomes["not_held_forwarded"],
    }
    for row in rows:
        if row.get("notice_outcome") is NoticeOutcome.REFUSED:
            decree = decrees[row["id"]]
            reasons["other_law" if decree["other_law"] else decree["ground"].value] += 1
    paid = [r for r in rows if r.get("paid_at") and r.get("payment_method") != "waived"]
    return {
        "received": len(rows),
        "by_channel": _by(rows, "channel", Channel),
        "by_requester_category": _by(rows, "requester_category", RequesterCategory),
        "by_access_method": _by(rows, "access_method", AccessMethod),
        "by_delivery_method": _by(rows, "delivery_method", DeliveryMethod),
        "outcomes": outcomes,
        "granted": outcomes["granted_full"] + outcomes["granted_partial"],
        "refused": outcomes["refused"],
        "refusal_reasons": reasons,
        "time_taken": _times(
            [
                working_days_between(r["receipt_date"], r["notice_sent_at"].date())
                for r in rows
                if "notice_sent_at" in r
            ]
        ),
        "time_to_delivery": _times(
            [
                working_days_between(r["receipt_date"], r["delivered_at"].date())
                for r in rows
                if "delivered_at" in r
            ]
        ),
        "extended": sum("extended_due" in r for r in rows),
        "withdrawn": sum(r["state"] is RequestState.WITHDRAWN for r in rows),
        "not_processed": sum(r["state"] is RequestState.REJECTED_INCOMPLETE for r in rows),
        "fees_charged_requests": sum(r.get("fee_total", 0) > 0 for r in rows),
        "fees_charged": sum(r.get("fee_total", 0) for r in rows),
        "fees_collected": sum(r["fee_total"] for r in paid),
        "suppressed": [],
    }


def _outcome(objection: Json) -> str:
    decision = objection["decision"]
    if decision is not None:
        return {
            "upheld_requester": "accepted",
            "upheld_ppid": "refused",
            "settled_by_consultation": "settled_by_consultation",
        }[decision.value]
    return "withdrawn" if objection["state"] is ObjectionState.WITHDRAWN else "pending"


def expected_objections(rows: Rows, today: dt.date) -> Json:
    days = sorted(
        working_days_between(o["receipt_date"], o["response_date"])
        for o in rows
        if "response_date" in o
    )
    outcomes = [_outcome(o) for o in rows]
    return {
        "received": len(rows),
        "by_reason": {r: sum(r in o["reasons"] for o in rows) for r in "abcdefg"},
        "outcomes": {
            k: outcomes.count(k)
            for k in ("accepted", "refused", "settled_by_consultation", "withdrawn", "pending")
        },
        "response_time": {
            "count": len(days),
            "mean": round(sum(days) / len(days), 2) if days else None,
            "median": float(statistics.median(days)) if days else None,
            "max": days[-1] if days else None,
        },
        "overdue": sum(
            o.get("response_date", today) > o["response_due"] and _outcome(o) != "withdrawn"
            for o in rows
        ),
        "filed_late": sum(o["filed_late"] for o in rows),
        "order_executed": sum("order_executed_at" in o for o in rows),
        "escalated_to_ki": sum(o["state"] is ObjectionState.ESCALATED_TO_KI for o in rows),
        "suppressed": [],
    }


def expected_disputes(rows: Rows, today: dt.date) -> Json:
    complied = [d for d in rows if "compliance_due" in d and "complied_at" in d]
    return {
        "received": len(rows),
        "by_ki_level": _by(rows, "ki_level", KiLevel),
        "by_stage": _by(rows, "stage", DisputeStage),
        "outcomes": _by(rows, "outcome", DisputeOutcome)
        | {"pending": sum(d["outcome"] is None for d in rows)},
        "filed_late": sum(d["filed_late"] for d in rows),
        "court_cases": sum("court_case_no" in d for d in rows),
        "compliance_required": sum("compliance_due" in d for d in rows),
        "complied": len(complied),
        "complied_late": sum(
            d["complied_at"].astimezone(JAKARTA).date() > d["compliance_due"] for d in complied
        ),
        "not_complied_overdue": sum(
            "compliance_due" in d and "complied_at" not in d and today > d["compliance_due"]
            for d in rows
        ),
        "suppressed": [],
    }


def _in_year(day: dt.date) -> bool:
    return day.year == YEAR


def expected_units(data: Seeded, today: dt.date) -> dict[uuid.UUID | None, tuple[Json, Json]]:
    """Per unit (the root's own, none) and for the total (`None`): (section 3 figures,
    section 4 figures)."""
    found: dict[uuid.UUID | None, tuple[Json, Json]] = {}
    for unit in [None, *UNITS]:

        def mine(row: Json, unit: uuid.UUID | None = unit) -> bool:
            return unit is None or row["unit_id"] == unit

        requests = [r for r in data.requests if mine(r) and _in_year(r["receipt_date"])]
        objections = [o for o in data.objections if mine(o) and _in_year(o["receipt_date"])]
        disputes = [d for d in data.disputes if mine(d) and _in_year(d["filed_on"])]
        found[unit] = (
            expected_requests(requests, data.decrees),
            {
                "objections": expected_objections(objections, today),
                "disputes": expected_disputes(disputes, today),
            },
        )
    return found


async def _get(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> httpx.Response:
    response = await client.get(
        path, params={"root": str(ROOT_ID), "year": str(YEAR)}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response


def _flat(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "suppressed":
                yield from _flat(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flat(item, f"{path}.{index}")
    else:
        yield path, value


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


async def test_official_report_matches_the_raw_rows(
    seeded: Seeded, requests_client: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    headers = official(auth_stack.minter, "ppid.utama")
    body: Json = (await _get(requests_client, URL, headers)).json()
    assert body["view"] == "official"
    assert body["suppression"] is False
    assert body["due_date"] == f"{YEAR + 1}-03-31"
    today = dt.date.fromisoformat(body["as_of"])
    expected = expected_units(seeded, today)
    service, disputes = body["service"], body["disputes"]
    assert [k for k in body if k in {"policy", "operation", "service", "disputes"}] == [
        "policy",
        "operation",
        "service",
        "disputes",
    ]
    assert [body[k]["number"] for k in ("policy", "operation", "service", "disputes")] == [
        1,
        2,
        3,
        4,
    ]
    assert (body["obstacles"]["number"], body["recommendations"]["number"]) == (5, 6)
    assert service["total"]["received"] == sum(UNIT_SIZES.values())
    assert service["total"] == expected[None][0]
    assert disputes["total"] == expected[None][1]
    assert disputes["total"]["objections"]["received"] > 40
    assert disputes["total"]["disputes"]["received"] > 3
    assert service["units"][0]["unit_id"] == str(ROOT_ID)  # the scope, then by code
    codes = [u["code"] for u in service["units"][1:]]
    assert codes == sorted(codes)
    assert {u["unit_id"] for u in service["units"]} == {str(u) for u in UNITS}
    for unit in service["units"]:
        assert unit["figures"] == expected[uuid.UUID(unit["unit_id"])][0], unit["code"]
    for unit in disputes["units"]:
        scope = {k: unit[k] for k in ("objections", "disputes")}
        assert scope == expected[uuid.UUID(unit["unit_id"])][1], unit["code"]
    facts = body["operation"]["facts"]
    year_days = [dt.date(YEAR, 1, 1) + dt.timedelta(days=n) for n in range(365)]
    assert facts["working_days_in_year"] == sum(
        working_days_between(day - dt.timedelta(days=1), day) for day in year_days
    )
    assert facts["closed_weekdays_in_year"] == 14
    assert (facts["time_zone"], facts["service_start"], facts["service_end"]) == (
        "Asia/Jakarta",
        "08:00:00",
        "16:00:00",
    )
    policy = body["policy"]["facts"]
    assert [line["unit_price"] for line in policy["cost_standard"]] == [200, 10000]
    assert policy["cost_standard_decrees"] == ["Kep. Wali Kota 12/2024"]
    assert policy["rules"]["notice_working_days"] == 10
    assert policy["units"][0] == {
        "unit_id": str(ROOT_ID),
        "code": "kota-contoh",
        "name": body["scope"]["name"],
        "designation": "ppid_utama",
    }

    csv_response = await _get(requests_client, f"{URL}.csv", headers)
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert csv_response.headers["Cache-Control"] == "private, no-cache"
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "level", "unit_id", "unit_code", "metric", "value"]
    cells = {(r[0], r[1], r[2], r[4]): r[5] for r in rows[1:]}
    assert len(cells) == len(rows) - 1  # one row per (section, level, unit, metric)
    assert cells[("0", "report", str(ROOT_ID), "due_date")] == f"{YEAR + 1}-03-31"
    for unit_id, (requests, objections) in expected.items():
        level, unit = ("total", ROOT_ID) if unit_id is None else ("unit", unit_id)
        for metric, value in _flat(requests):
            assert cells[("3", level, str(unit), metric)] == _cell(value), (unit, metric)
        for metric, value in _flat(objections):
            assert cells[("4", level, str(unit), metric)] == _cell(value), (unit, metric)
    zero_root = cells[("3", "unit", str(ROOT_ID), "received")]
    assert zero_root == "0"  # the root handles no request itself

    pdf = await _get(requests_client, f"{URL}.pdf", headers)
    assert pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    total = expected[None][0]
    assert f"Permohonan diterima : {total['received']}" in text
    assert f"Ditolak : {total['refused']}" in text
    assert f"Alasan penolakan - other_law : {total['refusal_reasons']['other_law']}" in text
    objections_total = expected[None][1]["objections"]
    by_reason = "Keberatan - menurut alasan (Pasal 35(1)) - a"
    assert f"{by_reason} : {objections_total['by_reason']['a']}" in text
    assert "Fotokopi A4 : Rp200 / lembar (Kep. Wali Kota 12/2024)" in text
    assert "Pemberitahuan tertulis (HK) : 10" in text
    assert f"Hari kerja dalam setahun : {facts['working_days_in_year']}" in text
    assert "Dinas Kesehatan : PPID Pelaksana" in text
    headings = ["1. Gambaran umum", "2. Gambaran umum", "3. Rincian", "4. Rincian"]
    positions = [text.index(h) for h in [*headings, "5. Kendala", "6. Rekomendasi"]]
    assert positions == sorted(positions)
    dinkes = text.index("Dinas Kesehatan (kota-contoh.dinkes)")
    assert f"Permohonan diterima : {expected[DINKES_ID][0]['received']}" in text[dinkes:]


def _numbers(value: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """Every number of a JSON value, but section numbers and booleans."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "number":
                yield from _numbers(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers(item, f"{path}.{index}")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


async def test_public_report_never_shows_a_cell_under_three(
    seeded: Seeded, requests_client: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    public: Json = (await _get(requests_client, URL, {})).json()
    assert public["view"] == "public"
    assert public["suppression"] is True
    small = [(p, n) for p, n in _numbers(public) if 0 < n < 3]
    assert small == []
    full: Json = (
        await _get(requests_client, URL, official(auth_stack.minter, "ppid.utama"))
    ).json()
    shown = dict(_flat(public))
    hidden = 0
    for path, value in _flat(full):
        if path in {"view", "suppression"} or path.endswith(".number"):
            continue
        assert shown[path] is None or shown[path] == value, path
        if type(value) is int and 0 < value < 3:
            assert shown[path] is None, path
            hidden += 1
    assert hidden > 10  # the seed has small cells (KELURAHAN's two requests among them)
    kelurahan = next(u for u in public["service"]["units"] if u["unit_id"] == str(KELURAHAN.id))
    assert kelurahan["figures"]["received"] is None
    assert "received" in kelurahan["figures"]["suppressed"]

    response = await _get(requests_client, f"{URL}.csv", {})
    assert response.headers["Cache-Control"] == "public, max-age=300"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    values = [r[5] for r in rows]
    numbers = [float(v) for v in values if v.replace(".", "", 1).isdigit()]
    assert numbers
    assert [n for n in numbers if 0 < n < 3] == []
    assert ("3", "unit", str(KELURAHAN.id), "received", "") in {
        (r[0], r[1], r[2], r[4], r[5]) for r in rows
    }
    text = pdf_text((await _get(requests_client, f"{URL}.pdf", {})).content)
    kel = text.index("Kelurahan Sukamaju (kota-contoh.kel-sukamaju)")
    assert text[kel:].split("Permohonan diterima : ", 1)[1].startswith("*")
