"""One request: by number and secret, by id for its readers; 404 for everyone else."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.requests.harness import Minter, official
from tests.requests.people import SITI
from tests.requests.support import Json, form, requester, submit


@pytest.fixture
async def made(requests_client: httpx.AsyncClient) -> Json:
    return await submit(requests_client)


async def test_track_with_the_right_secret(requests_client: httpx.AsyncClient, made: Json) -> None:
    response = await requests_client.post(
        "/v1/requests/track",
        json={
            "registration_number": made["registration_number"],
            "tracking_secret": made["tracking_secret"],
        },
    )
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["id"] == made["id"]
    assert "tracking_secret" not in view
    assert view["history"][0]["action"] == "submit"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("wrong", ["secret", "number", "both"])
async def test_a_wrong_secret_and_an_unknown_number_look_the_same(
    requests_client: httpx.AsyncClient, made: Json, wrong: str
) -> None:
    body = {
        "registration_number": made["registration_number"],
        "tracking_secret": made["tracking_secret"],
    }
    if wrong in ("secret", "both"):
        body["tracking_secret"] = made["tracking_secret"][::-1]
    if wrong in ("number", "both"):
        body["registration_number"] = "KOTA-CONTOH/DINKES/PI/1999/00001"
    response = await requests_client.post("/v1/requests/track", json=body)
    assert response.status_code == 404
    assert response.json()["detail"] == "Permohonan tidak ditemukan."


async def test_get_by_id_with_the_secret(requests_client: httpx.AsyncClient, made: Json) -> None:
    url = f"/v1/requests/{made['id']}"
    headers = {"X-Tracking-Secret": made["tracking_secret"]}
    response = await requests_client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.json()["registration_number"] == made["registration_number"]
    assert response.headers["cache-control"] == "private, no-cache"
    cached = await requests_client.get(
        url, headers={**headers, "If-None-Match": response.headers["etag"]}
    )
    assert cached.status_code == 304
    assert cached.headers["etag"] == response.headers["etag"]


async def test_readers_of_a_request(requests_client: httpx.AsyncClient, minter: Minter) -> None:
    account = requester(minter)
    made = await submit(requests_client, form(SITI), account)
    url = f"/v1/requests/{made['id']}"
    for local in ("ppid.dinkes", "ppid.utama", "petugas", "atasan", "auditor", "admin"):
        response = await requests_client.get(url, headers=official(minter, local))
        assert response.status_code == 200, local
    assert (await requests_client.get(url, headers=account)).status_code == 200
    for headers in (
        {},
        {"X-Tracking-Secret": "not-it"},
        official(minter, "ppid.disdik"),
        official(minter, "tim.pertimbangan"),
        requester(minter),
    ):
        response = await requests_client.get(url, headers=headers)
        assert response.status_code == 404, headers
    assert (await requests_client.get(f"/v1/requests/{uuid.uuid4()}")).status_code == 404


async def test_the_etag_is_the_requests_version(
    requests_client: httpx.AsyncClient, minter: Minter, made: Json
) -> None:
    response = await requests_client.get(
        f"/v1/requests/{made['id']}", headers=official(minter, "ppid.dinkes")
    )
    submitted = await requests_client.post(
        "/v1/requests/track",
        json={
            "registration_number": made["registration_number"],
            "tracking_secret": made["tracking_secret"],
        },
    )
    assert response.headers["etag"] == submitted.headers["etag"]
