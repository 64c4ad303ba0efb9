"""Upstream trouble: refused (503), too slow (504), the circuit breaker, readiness."""

from __future__ import annotations

import time

import httpx

from tests.gateway.conftest import Gateways, upstream_stats
from tests.support.procs import Proc


def _timed_get(http: httpx.Client, url: str, **kwargs: object) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    response = http.get(url, **kwargs)  # type: ignore[arg-type]
    return response, time.monotonic() - start


def test_upstream_down_is_503_with_retry_after(http: httpx.Client, gateways: Gateways) -> None:
    response, elapsed = _timed_get(http, gateways.faults.url + "/v1/dip/echo")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/service-unavailable"
    assert int(response.headers["retry-after"]) >= 1
    assert elapsed < 3.0  # refused at once, well within the connect timeout
    assert "ratelimit" in response.headers


def test_slow_upstream_is_504(http: httpx.Client, gateways: Gateways) -> None:
    url = gateways.main.url + "/v1/requests/sleep"
    response, elapsed = _timed_get(
        http, url, params={"seconds": "4"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 504
    assert response.json()["type"] == "/problems/gateway-timeout"
    assert response.json()["title"] == "Gateway timeout"
    assert int(response.headers["retry-after"]) >= 1
    assert 1.4 < elapsed < 3.5  # the 1.5 s read timeout, not the upstream's 4 s


def test_export_routes_get_the_long_read_timeout(
    http: httpx.Client, gateways: Gateways, upstreams: dict[str, Proc]
) -> None:
    sleeps = upstream_stats(http, upstreams["registry"]).get("sleeps", 0)
    url = gateways.main.url + "/v1/dip/export.csv/sleep"
    response, elapsed = _timed_get(http, url, params={"seconds": "2"})
    assert response.status_code == 200, response.text  # 2 s > the 1.5 s of other routes
    assert elapsed >= 2.0
    assert upstream_stats(http, upstreams["registry"])["sleeps"] == sleeps + 1


def test_breaker_opens_after_failures_and_closes_after_cooldown(
    http: httpx.Client, gateways: Gateways, upstreams: dict[str, Proc]
) -> None:
    url = gateways.faults.url + "/v1/requests/sleep"
    requests_upstream = upstreams["requests"]
    assert http.get(url, params={"seconds": "0"}).status_code == 200  # closed, failures reset
    for _ in range(3):  # breaker_failures=3, read timeout 0.5 s
        assert http.get(url, params={"seconds": "2"}).status_code == 504
    sleeps_before = upstream_stats(http, requests_upstream)["sleeps"]

    response, elapsed = _timed_get(http, url, params={"seconds": "2"})
    assert response.status_code == 503
    assert elapsed < 0.5  # answered before the 0.5 s read timeout could even start
    assert 1 <= int(response.headers["retry-after"]) <= 2  # the remaining cooldown (1.5 s)
    assert upstream_stats(http, requests_upstream)["sleeps"] == sleeps_before  # not contacted

    time.sleep(1.6)  # cooldown over: one trial goes through and closes the breaker
    assert http.get(url, params={"seconds": "0"}).status_code == 200
    assert http.get(url, params={"seconds": "0"}).status_code == 200
    assert upstream_stats(http, requests_upstream)["sleeps"] == sleeps_before + 2


def test_readyz_when_all_upstreams_are_ready(http: httpx.Client, gateways: Gateways) -> None:
    assert http.get(gateways.main.url + "/healthz").json() == {"status": "ok"}
    response = http.get(gateways.main.url + "/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readyz_names_the_upstreams_that_are_down(http: httpx.Client, gateways: Gateways) -> None:
    assert http.get(gateways.faults.url + "/healthz").status_code == 200
    response, elapsed = _timed_get(http, gateways.faults.url + "/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["unavailable"] == ["registry"]
    assert "registry" in response.json()["detail"]
    assert "retry-after" in response.headers
    assert elapsed < 2.0
