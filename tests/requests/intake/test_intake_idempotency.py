"""A retried submission (same `Idempotency-Key`, same body) is the same request, with the
same number and the same tracking secret, though no table holds the secret."""

from __future__ import annotations

import uuid

import httpx

from tests.requests.harness import Minter
from tests.requests.people import BUDI, SITI
from tests.requests.support import form, requester
from tests.services.support import rows


async def test_a_retry_gets_the_same_request_number_and_secret(
    requests_client: httpx.AsyncClient, requests_database: str
) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = await requests_client.post("/v1/requests", json=form(), headers=key)
    retry = await requests_client.post("/v1/requests", json=form(), headers=key)
    assert first.status_code == retry.status_code == 201, retry.text
    assert retry.json() == first.json()
    for header in ("location", "etag", "cache-control"):
        assert retry.headers[header] == first.headers[header]
    made = first.json()
    count = await rows(
        requests_database,
        "SELECT count(*) AS n FROM information_requests WHERE registration_number = :number",
        number=made["registration_number"],
    )
    assert count[0].n == 1
    stored = await rows(
        requests_database,
        "SELECT response_body::text AS body FROM idempotency_keys WHERE key = :key",
        key=key["Idempotency-Key"],
    )
    assert made["tracking_secret"] not in stored[0].body
    assert made["registration_number"] in stored[0].body

    tracked = await requests_client.post(
        "/v1/requests/track",
        json={
            "registration_number": made["registration_number"],
            "tracking_secret": retry.json()["tracking_secret"],
        },
    )
    assert tracked.status_code == 200


async def test_the_same_key_with_another_body_is_refused(
    requests_client: httpx.AsyncClient,
) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = await requests_client.post("/v1/requests", json=form(), headers=key)
    other = await requests_client.post("/v1/requests", json=form(BUDI), headers=key)
    assert first.status_code == 201
    assert other.status_code == 422
    assert other.json()["type"] == "/problems/idempotency-key-reused"


async def test_keys_are_per_caller(requests_client: httpx.AsyncClient, minter: Minter) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    anonymous = await requests_client.post("/v1/requests", json=form(SITI), headers=key)
    signed_in = await requests_client.post(
        "/v1/requests", json=form(SITI), headers={**key, **requester(minter)}
    )
    assert anonymous.status_code == signed_in.status_code == 201
    assert anonymous.json()["id"] != signed_in.json()["id"]


async def test_a_refused_submission_leaves_the_key_free(
    requests_client: httpx.AsyncClient,
) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    refused = await requests_client.post("/v1/requests", json=form(copy_format=None), headers=key)
    fixed = await requests_client.post("/v1/requests", json=form(), headers=key)
    assert (refused.status_code, fixed.status_code) == (422, 201)
