"""API clients at the edge: their origins in CORS (polled from auth) and their tier's quota."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.gateway.conftest import (
    ALLOWED_ORIGIN,
    CLIENT_ORIGIN,
    Gateways,
    Keys,
    upstream_stats,
)
from tests.support.procs import Proc

NEW_ORIGIN = "https://client-two.example"
UNLISTED = "https://not-a-client.example"
Origins = Callable[..., None]


def _eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not picked up in time"
        time.sleep(0.1)


def _preflight(http: httpx.Client, gateway: Proc, origin: str) -> httpx.Response:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    return http.options(gateway.url + "/v1/requests/echo", headers=headers)


def _allows(http: httpx.Client, gateway: Proc, origin: str) -> bool:
    response = http.get(gateway.url + "/v1/dip/echo", headers={"Origin": origin})
    allowed: str | None = response.headers.get("access-control-allow-origin")
    return allowed == origin


@pytest.fixture
def set_origins(http: httpx.Client, upstreams: dict[str, Proc]) -> Iterator[Origins]:
    """Change what the auth stand-in lists; the original list is back after the test."""
    url = upstreams["auth"].url + "/control/origins"

    def put(*origins: str, fail: bool = False) -> None:
        http.put(url, json={"origins": list(origins), "fail": fail}).raise_for_status()

    yield put
    put(CLIENT_ORIGIN)


def test_a_client_origin_gets_cors_on_preflight_and_requests(
    http: httpx.Client, gateways: Gateways
) -> None:
    _eventually(lambda: _allows(http, gateways.clients, CLIENT_ORIGIN))
    preflight = _preflight(http, gateways.clients, CLIENT_ORIGIN)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == CLIENT_ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "Origin" in preflight.headers["vary"]
    simple = http.get(gateways.clients.url + "/v1/dip/echo", headers={"Origin": CLIENT_ORIGIN})
    assert simple.headers["access-control-allow-origin"] == CLIENT_ORIGIN
    assert "ratelimit" in simple.headers["access-control-expose-headers"].lower()
    assert "Origin" in simple.headers["vary"]


def test_an_unlisted_origin_gets_no_cors(http: httpx.Client, gateways: Gateways) -> None:
    preflight = _preflight(http, gateways.clients, UNLISTED)
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    simple = http.get(gateways.clients.url + "/v1/dip/echo", headers={"Origin": UNLISTED})
    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers
    assert "Origin" in simple.headers["vary"]  # caches must not reuse it for another origin


def test_a_changed_list_is_picked_up_with_conditional_polls(
    http: httpx.Client, gateways: Gateways, upstreams: dict[str, Proc], set_origins: Origins
) -> None:
    auth = upstreams["auth"]
    _eventually(lambda: _allows(http, gateways.clients, CLIENT_ORIGIN))
    unchanged = upstream_stats(http, auth).get("origin_polls_not_modified", 0)
    _eventually(
        lambda: upstream_stats(http, auth).get("origin_polls_not_modified", 0) > unchanged
    )  # an unchanged list costs a 304, not the list again
    set_origins(NEW_ORIGIN)
    _eventually(lambda: _allows(http, gateways.clients, NEW_ORIGIN))
    assert _preflight(http, gateways.clients, NEW_ORIGIN).status_code == 200
    _eventually(lambda: not _allows(http, gateways.clients, CLIENT_ORIGIN))
    assert _preflight(http, gateways.clients, CLIENT_ORIGIN).status_code == 400
    assert _allows(http, gateways.clients, ALLOWED_ORIGIN)  # GATEWAY_CORS_ORIGINS stay


def test_failed_polls_keep_the_last_good_list(
    http: httpx.Client, gateways: Gateways, upstreams: dict[str, Proc], set_origins: Origins
) -> None:
    auth = upstreams["auth"]
    _eventually(lambda: _allows(http, gateways.clients, CLIENT_ORIGIN))
    set_origins(NEW_ORIGIN, fail=True)  # the new list is never served: every poll fails
    polls = upstream_stats(http, auth).get("origin_polls", 0)
    _eventually(lambda: upstream_stats(http, auth).get("origin_polls", 0) >= polls + 3)
    assert _allows(http, gateways.clients, CLIENT_ORIGIN)
    assert not _allows(http, gateways.clients, NEW_ORIGIN)
    response = http.get(gateways.clients.url + "/v1/dip/echo")
    assert response.status_code == 200  # requests never wait for auth


@pytest.mark.parametrize(
    ("tier", "policy", "quota"),
    [
        ("standard", "client", 8),
        ("partner", "client-partner", 40),
        ("internal", "client-internal", 1000),
        ("gold", "client", 8),  # an unknown tier gets the standard quota
    ],
)
def test_a_clients_tier_sets_its_quota(
    http: httpx.Client, gateways: Gateways, keys: Keys, tier: str, policy: str, quota: int
) -> None:
    url = gateways.limited.url + "/v1/units/echo"
    token = keys.token(sub=f"svc-{tier}", client_id=f"app-{tier}", typ="client", tier=tier)
    headers = {"Authorization": f"Bearer {token}"}
    allowed = 0
    for _ in range(min(quota, 12)):
        response = http.get(url, headers=headers)
        assert response.headers["ratelimit-policy"] == f'"{policy}";q={quota};w=60'
        assert response.headers["ratelimit"].startswith(f'"{policy}";r=')
        allowed += response.status_code == 200
    assert allowed == min(quota, 12)
    if quota <= 12:
        assert http.get(url, headers=headers).status_code == 429
