"""Edge checks: tokens, rate limits, CORS and body limits, through a real gateway."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.gateway.conftest import ALLOWED_ORIGIN, MIB, Gateways, Keys, header_pairs, upstream_stats
from tests.support.procs import Proc

RATELIMIT = re.compile(r'^"(default|client)";r=(\d+);t=(\d+)$')


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_missing_token_on_a_protected_route_is_401(http: httpx.Client, gateways: Gateways) -> None:
    for method, path in (("GET", "/v1/webhooks/echo"), ("POST", "/v1/dip/echo")):
        response = http.request(method, gateways.main.url + path)
        assert response.status_code == 401, path
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "/problems/unauthorized"
        assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", ["/v1/webhooks/echo", "/v1/dip/echo", "/v1/auth/echo"])
def test_bad_tokens_are_rejected_on_every_route(
    http: httpx.Client, gateways: Gateways, keys: Keys, path: str
) -> None:
    other_issuer = keys.token(iss="someone-else")
    for token in ("garbage", keys.token(expires_in=-120), other_issuer, keys.token() + "x"):
        response = http.get(gateways.main.url + path, headers=_bearer(token))
        assert response.status_code == 401
        assert response.json()["type"] == "/problems/invalid-token"
        assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_valid_token_passes_unchanged(http: httpx.Client, gateways: Gateways, keys: Keys) -> None:
    token = keys.token()
    response = http.post(gateways.main.url + "/v1/webhooks/echo", headers=_bearer(token))
    assert response.status_code == 200
    assert header_pairs(response.json())["authorization"] == f"Bearer {token}"


def test_public_routes_need_no_token(http: httpx.Client, gateways: Gateways) -> None:
    for method, path in (
        ("GET", "/v1/dip/echo"),
        ("HEAD", "/v1/units/echo"),
        ("POST", "/v1/requests/echo"),  # anonymous submission: the service decides
        ("POST", "/v1/objections/echo"),  # anonymous objection: the service decides
        ("POST", "/v1/auth/echo"),
    ):
        assert http.request(method, gateways.main.url + path).status_code == 200, path
    basic = {"Authorization": "Basic Y2xpZW50OnNlY3JldA=="}  # client credentials: auth's call
    assert http.post(gateways.main.url + "/v1/auth/echo", headers=basic).status_code == 200


def test_every_proxied_response_carries_rate_limit_headers(
    http: httpx.Client, gateways: Gateways
) -> None:
    response = http.get(gateways.main.url + "/v1/dip/echo")
    assert response.headers["ratelimit-policy"] == '"default";q=100000;w=60'
    assert RATELIMIT.match(response.headers["ratelimit"])


def test_rate_limit_per_address_then_429(http: httpx.Client, gateways: Gateways) -> None:
    url = gateways.limited.url + "/v1/units/echo"
    remaining = []
    for _ in range(5):  # the anonymous quota is 5 per minute
        response = http.get(url)
        assert response.status_code == 200
        assert response.headers["ratelimit-policy"] == '"default";q=5;w=60'
        match = RATELIMIT.match(response.headers["ratelimit"])
        assert match is not None
        remaining.append(int(match.group(2)))
    assert remaining == [4, 3, 2, 1, 0]
    # A claimed X-Forwarded-For from an untrusted peer does not buy a fresh quota.
    response = http.get(url, headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 429
    assert response.json()["type"] == "/problems/rate-limited"
    assert 1 <= int(response.headers["retry-after"]) <= 12
    assert response.headers["ratelimit-policy"] == '"default";q=5;w=60'
    assert RATELIMIT.match(response.headers["ratelimit"])


def test_authenticated_clients_have_their_own_quota(
    http: httpx.Client, gateways: Gateways, keys: Keys
) -> None:
    url = gateways.limited.url + "/v1/units/echo"
    headers = _bearer(keys.token(sub="svc-1", client_id="app-42"))
    response = http.get(url, headers=headers)
    assert response.status_code == 200
    assert response.headers["ratelimit-policy"] == '"client";q=8;w=60'
    assert response.headers["ratelimit"].startswith('"client";r=7;')
    for _ in range(7):
        assert http.get(url, headers=headers).status_code == 200
    assert http.get(url, headers=headers).status_code == 429
    other = _bearer(keys.token(sub="svc-2", client_id="app-43"))
    assert http.get(url, headers=other).status_code == 200


def test_cors_preflight_for_an_allowed_origin(http: httpx.Client, gateways: Gateways) -> None:
    headers = {
        "Origin": ALLOWED_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    response = http.options(gateways.main.url + "/v1/requests/echo", headers=headers)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


def test_cors_refuses_another_origin(http: httpx.Client, gateways: Gateways) -> None:
    headers = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    response = http.options(gateways.main.url + "/v1/dip/echo", headers=headers)
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    simple = http.get(
        gateways.main.url + "/v1/dip/echo", headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in simple.headers


def test_cors_exposes_the_api_headers(http: httpx.Client, gateways: Gateways) -> None:
    response = http.get(gateways.main.url + "/v1/dip/echo", headers={"Origin": ALLOWED_ORIGIN})
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    expected = {"x-request-id", "etag", "link", "ratelimit", "ratelimit-policy", "retry-after"}
    assert expected <= exposed


def _chunks(total: int) -> Iterator[bytes]:
    for _ in range(total // (64 * 1024)):
        yield b"{" * (64 * 1024)


def test_declared_body_over_the_limit_is_413_without_the_upstream(
    http: httpx.Client, gateways: Gateways, upstreams: dict[str, Proc]
) -> None:
    hits = upstream_stats(http, upstreams["auth"]).get("hits", 0)
    body = b"x" * (MIB + 1)  # GATEWAY_MAX_BODY_BYTES is 1 MiB
    response = http.post(gateways.main.url + "/v1/auth/echo", content=body)
    assert response.status_code == 413
    assert response.json()["type"] == "/problems/payload-too-large"
    assert upstream_stats(http, upstreams["auth"]).get("hits", 0) == hits


def test_chunked_body_over_the_limit_is_cut_with_413(
    http: httpx.Client, gateways: Gateways
) -> None:
    headers = {"Content-Type": "application/json"}
    response = http.post(
        gateways.main.url + "/v1/auth/echo", content=_chunks(4 * MIB), headers=headers
    )
    assert response.status_code == 413
    assert response.json()["type"] == "/problems/payload-too-large"


def test_json_bodies_keep_the_small_limit_on_upload_routes(
    http: httpx.Client, gateways: Gateways, keys: Keys
) -> None:
    url = gateways.main.url + "/v1/dip/echo"
    json_headers = {**_bearer(keys.token()), "Content-Type": "application/json"}
    assert http.post(url, content=b"{" * (2 * MIB), headers=json_headers).status_code == 413
    file_headers = {**_bearer(keys.token()), "Content-Type": "application/pdf"}
    response = http.post(url, content=b"%" * (2 * MIB), headers=file_headers)
    assert response.status_code == 200
    assert response.json()["body_bytes"] == 2 * MIB
