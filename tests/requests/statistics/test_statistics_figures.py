"""The figures of `/v1/statistics/requests`: every count, the times, the reasons, the fees;
suppression of 1-2 counts in the public view only; the period and the unit scope."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.requests.harness import DINKES_ID, DISDIK_ID, ROOT_ID, AuthStack, official
from tests.requests.people import PEOPLE
from tests.requests.statistics.seed import seed

URL = "/v1/statistics/requests"
Json = dict[str, Any]


@pytest.fixture(scope="module")
async def seeded(requests_database: str) -> None:
    await seed(requests_database)


async def _get(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any
) -> Json:
    response = await client.get(path, params={"root": str(ROOT_ID), **params}, headers=headers)
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body


def _unit(body: Json, unit_id: Any) -> Json:
    found: Json = next(u["figures"] for u in body["units"] if u["unit_id"] == str(unit_id))
    return found


async def test_official_figures_in_full(
    seeded: None, requests_client: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    headers = official(auth_stack.minter, "ppid.utama")
    body = await _get(requests_client, f"{URL}/official", headers, year=2025, semester=1)
    assert body["suppression"] is False
    assert body["period"] == {
        "year": 2025,
        "semester": 1,
        "month": None,
        "start": "2025-01-01",
        "end": "2025-06-30",
    }
    total = body["total"]
    assert total["suppressed"] == []
    assert total["received"] == 12
    assert total["by_channel"] == {
        "online": 10,
        "walk_in": 0,
        "phone": 1,
        "letter": 1,
        "email": 0,
        "fax": 0,
        "other": 0,
    }
    assert total["by_requester_category"] == {
        "perorangan": 11,
        "badan_hukum": 1,
        "kelompok_orang": 0,
    }
    assert total["by_access_method"] == {"view_read_listen_note": 0, "obtain_copy": 12}
    assert total["by_delivery_method"]["email"] == 11
    assert total["by_delivery_method"]["pickup"] == 1
    assert total["outcomes"] == {
        "granted_full": 4,
        "granted_partial": 1,
        "refused": 4,
        "not_held_forwarded": 0,
        "not_held_unknown": 0,
        "not_documented": 1,
    }
    assert (total["granted"], total["refused"]) == (5, 4)
    reasons = total["refusal_reasons"]
    assert reasons["c"] == 3
    assert reasons["other_law"] == 1
    assert reasons["b"] == 0
    assert reasons["not_documented"] == 1
    assert reasons["forwarded"] == reasons["not_held"] == 0
    assert total["time_taken"] == {
        "count": 10,
        "mean": 8.6,
        "median": 7.5,
        "max": 20,
        "within_10": 8,
        "from_11_to_17": 1,
        "over_17": 1,
    }
    assert total["time_to_delivery"] == {
        "count": 3,
        "mean": 8.67,
        "median": 10.0,
        "max": 11,
        "within_10": 2,
        "from_11_to_17": 1,
        "over_17": 0,
    }
    assert (total["extended"], total["withdrawn"], total["not_processed"]) == (2, 1, 1)
    assert total["fees_charged_requests"] == 3
    assert (total["fees_charged"], total["fees_collected"]) == (10000, 5000)
    dinkes = _unit(body, DINKES_ID)
    assert dinkes["received"] == 11
    assert dinkes["time_taken"]["mean"] == 9.0
    assert dinkes["time_taken"]["median"] == 10.0
    disdik = _unit(body, DISDIK_ID)
    assert disdik["received"] == 1
    assert disdik["time_taken"]["count"] == 1


async def test_public_figures_suppress_small_counts(
    seeded: None, requests_client: httpx.AsyncClient
) -> None:
    body = await _get(requests_client, URL, {}, year=2025, semester=1)
    assert body["suppression"] is True
    assert body["threshold"] == 3
    total = body["total"]
    assert total["received"] == 12
    assert total["by_channel"]["online"] == 10
    assert total["by_channel"]["phone"] is None
    assert total["by_channel"]["letter"] is None
    assert total["by_channel"]["fax"] == 0
    assert total["outcomes"]["granted_partial"] is None
    assert total["refusal_reasons"]["c"] == 3
    assert total["refusal_reasons"]["other_law"] is None
    assert total["time_taken"]["count"] == 10
    assert total["time_taken"]["within_10"] == 8
    assert total["time_taken"]["from_11_to_17"] is None
    assert total["time_taken"]["over_17"] is None
    assert total["time_to_delivery"]["mean"] == 8.67
    assert total["time_to_delivery"]["from_11_to_17"] is None
    assert total["extended"] is None
    assert total["withdrawn"] is None
    assert total["fees_charged"] == 10000
    assert total["fees_collected"] is None  # over a single payment
    for cell in (
        "by_channel.phone",
        "by_channel.letter",
        "outcomes.granted_partial",
        "refusal_reasons.other_law",
        "time_taken.from_11_to_17",
        "extended",
        "withdrawn",
        "not_processed",
        "fees_collected",
    ):
        assert cell in total["suppressed"], cell
    disdik = _unit(body, DISDIK_ID)
    assert disdik["received"] is None
    assert disdik["time_taken"] == {
        "count": None,
        "mean": None,
        "median": None,
        "max": None,
        "within_10": None,
        "from_11_to_17": None,
        "over_17": None,
    }
    assert "time_taken" in disdik["suppressed"]
    text = str(body)
    for person in PEOPLE:
        assert person.name not in text


async def test_period_filters(seeded: None, requests_client: httpx.AsyncClient) -> None:
    body = await _get(requests_client, URL, {}, year=2025)
    assert body["total"]["received"] == 13
    second = await _get(requests_client, URL, {}, year=2025, semester=2)
    assert second["total"]["received"] is None  # one request in July
    assert [u["unit_id"] for u in second["units"]] == [str(DISDIK_ID)]
    february = await _get(requests_client, URL, {}, year=2025, month=2)
    assert february["total"]["received"] == 12
    march = await _get(requests_client, URL, {}, year=2025, month=3)
    assert march["total"]["received"] == 0
    assert march["units"] == []
    other_year = await _get(requests_client, URL, {}, year=2024)
    assert other_year["total"]["received"] == 0


async def test_unit_scope(
    seeded: None, requests_client: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    headers = official(auth_stack.minter, "ppid.dinkes")
    body = await _get(
        requests_client, f"{URL}/official", headers, year=2025, unit_id=str(DINKES_ID)
    )
    assert body["unit_id"] == str(DINKES_ID)
    assert body["total"]["received"] == 11
    assert [u["unit_id"] for u in body["units"]] == [str(DINKES_ID)]
    public = await _get(requests_client, URL, {}, year=2025, unit_id=str(DISDIK_ID))
    assert public["total"]["received"] is None  # two requests
    assert public["total"]["by_channel"]["online"] is None
