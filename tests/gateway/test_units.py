"""Pure parts: the rate limiter, the breaker, the route table and header helpers."""

from __future__ import annotations

import ipaddress

import httpx
import pytest
from gateway.breaker import CircuitBreaker
from gateway.edge_auth import bearer
from gateway.headers import ProxyTrust, downstream_headers, forwarded_element, upstream_headers
from gateway.ratelimit import RateLimiter
from gateway.routes import Access, rule_for
from gateway.settings import GatewaySettings
from gateway.upstream_errors import upstream_problem
from ppid_kit.problems import BAD_GATEWAY, GATEWAY_TIMEOUT, SERVICE_UNAVAILABLE, ProblemKind
from pydantic import ValidationError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_allows_the_quota_then_refuses() -> None:
    clock = Clock()
    limiter = RateLimiter("default", quota=300, window=60, clock=clock)
    first = limiter.hit("a")
    assert (first.allowed, first.remaining, first.reset) == (True, 299, 1)
    assert limiter.header(first) == b'"default";r=299;t=1'
    assert limiter.policy_header == b'"default";q=300;w=60'
    for _ in range(299):
        assert limiter.hit("a").allowed
    refused = limiter.hit("a")
    assert (refused.allowed, refused.remaining, refused.retry_after) == (False, 0, 1)
    assert refused.reset == 60
    assert limiter.hit("b").allowed  # keys are independent


def test_rate_limiter_refills_over_time() -> None:
    clock = Clock()
    limiter = RateLimiter("default", quota=6, window=60, clock=clock)  # one per 10 s
    for _ in range(6):
        limiter.hit("a")
    assert limiter.hit("a").retry_after == 10
    clock.now += 10
    decision = limiter.hit("a")
    assert decision.allowed
    assert decision.remaining == 0
    clock.now += 60
    assert limiter.hit("a").remaining == 5


def test_rate_limiter_forgets_idle_keys() -> None:
    clock = Clock()
    limiter = RateLimiter("default", quota=10, window=60, clock=clock)
    for key in ("a", "b", "c"):
        limiter.hit(key)
    assert len(limiter) == 3
    clock.now += 61
    limiter.hit("d")
    assert len(limiter) == 1


def test_breaker_opens_half_opens_and_closes() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=2, cooldown=10, clock=clock)
    assert breaker.acquire() == 0
    breaker.record_failure()
    assert not breaker.is_open
    breaker.record_failure()
    assert breaker.is_open
    assert breaker.acquire() == 10
    assert breaker.retry_after() == 10
    clock.now += 10
    assert breaker.acquire() == 0  # the one half-open trial
    assert breaker.acquire() == 1.0  # others wait while it runs
    breaker.record_failure()  # the trial failed: open again, for a whole cooldown
    assert breaker.acquire() == 10
    clock.now += 10
    assert breaker.acquire() == 0
    breaker.record_success()
    assert not breaker.is_open
    assert breaker.acquire() == 0


def test_breaker_frees_an_abandoned_trial() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=1, cooldown=5, clock=clock)
    breaker.record_failure()
    clock.now += 5
    assert breaker.acquire() == 0
    breaker.abandon()
    assert breaker.acquire() == 0


@pytest.mark.parametrize(
    ("path", "upstream", "export"),
    [
        ("/v1/auth/token", "auth", False),
        ("/.well-known/jwks.json", "auth", False),
        ("/v1/units", "auth", False),
        ("/v1/units/abc", "auth", False),
        ("/v1/dip", "registry", False),
        ("/v1/dip/export.csv", "registry", True),
        ("/v1/dip/exports-of-something", "registry", False),
        ("/v1/dik/x", "registry", False),
        ("/v1/requests/1/extend", "requests", False),
        ("/v1/objections/1/decide", "requests", False),
        ("/v1/calendar/holidays", "requests", False),
        ("/v1/statistics/requests", "requests", False),
        ("/v1/webhooks", "requests", False),
    ],
)
def test_route_table(path: str, upstream: str, export: bool) -> None:
    rule = rule_for(path)
    assert rule is not None
    assert (rule.upstream, rule.export) == (upstream, export)


@pytest.mark.parametrize("path", ["/v1/auth", "/v1/dipx", "/v2/dip", "/", "/v1/unitsfoo"])
def test_unrouted_paths(path: str) -> None:
    assert rule_for(path) is None


def test_public_read_routes_need_a_token_to_write() -> None:
    rule = rule_for("/v1/dip/entries")
    assert rule is not None
    assert rule.access is Access.PUBLIC_READ
    assert rule.is_public("GET")
    assert rule.is_public("HEAD")
    assert not rule.is_public("POST")
    webhooks = rule_for("/v1/webhooks")
    assert webhooks is not None
    assert not webhooks.is_public("GET")
    # Objections are filed and tracked anonymously (with a tracking secret) too.
    objections = rule_for("/v1/objections")
    assert objections is not None
    assert objections.is_public("POST")


def test_forwarded_element_quotes_where_needed() -> None:
    assert forwarded_element("10.0.0.1", "https", b"ppid.go.id") == (
        b"for=10.0.0.1;proto=https;host=ppid.go.id"
    )
    assert forwarded_element("2001:db8::1", "http", b"h:8080") == (
        b'for="[2001:db8::1]";proto=http;host="h:8080"'
    )
    assert forwarded_element("", "http", b"") == b"for=unknown;proto=http"


def test_client_address_believes_only_trusted_proxies() -> None:
    trust = ProxyTrust([ipaddress.ip_network("10.0.0.0/8")])
    chain = b"198.51.100.7, 10.1.1.1"
    assert trust.client_address("203.0.113.1", chain) == "203.0.113.1"  # untrusted peer
    assert trust.client_address("10.0.0.2", chain) == "198.51.100.7"
    assert trust.client_address("10.0.0.2", b"") == "10.0.0.2"
    assert ProxyTrust([]).client_address("10.0.0.2", chain) == "10.0.0.2"


def test_hop_by_hop_filters() -> None:
    incoming = [
        (b"host", b"h"),
        (b"connection", b"close, x-hop"),
        (b"x-hop", b"1"),
        (b"proxy-authorization", b"x"),
        (b"x-forwarded-for", b"6.6.6.6"),
        (b"authorization", b"Bearer t"),
    ]
    assert upstream_headers(incoming, b"close, x-hop") == [
        (b"host", b"h"),
        (b"authorization", b"Bearer t"),
    ]
    outgoing = [
        (b"transfer-encoding", b"chunked"),
        (b"content-type", b"text/plain"),
        (b"date", b"x"),
        (b"access-control-allow-origin", b"*"),
    ]
    assert downstream_headers(outgoing) == [(b"content-type", b"text/plain")]


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_AUTH_URL", "http://auth.internal:8001/")
    monkeypatch.setenv("GATEWAY_CORS_ORIGINS", '["https://a.example", "https://b.example"]')
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", '["10.0.0.0/8", "192.0.2.1"]')
    settings = GatewaySettings()
    assert settings.jwks_url == "http://auth.internal:8001/.well-known/jwks.json"
    assert settings.upstream_urls()["auth"] == "http://auth.internal:8001"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert ProxyTrust(settings.trusted_proxies).trusts("192.0.2.1")
    assert (settings.max_body_bytes, settings.max_upload_bytes) == (10 * 2**20, 512 * 2**20)
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_PER_MINUTE", "0")
    with pytest.raises(ValidationError):
        GatewaySettings()


@pytest.mark.parametrize(
    ("authorization", "token"),
    [
        (None, None),
        (b"Basic eDp5", None),  # another scheme is the service's business
        (b"Bearer abc.def.ghi", "abc.def.ghi"),
        (b"bearer  abc ", "abc"),
        (b"Bearer", ""),  # present but empty: refused as an invalid token
    ],
)
def test_bearer_token_parsing(authorization: bytes | None, token: str | None) -> None:
    assert bearer(authorization) == token


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx.ConnectError("refused"), SERVICE_UNAVAILABLE),
        (httpx.ReadError("reset"), SERVICE_UNAVAILABLE),
        (httpx.ReadTimeout("slow"), GATEWAY_TIMEOUT),
        (httpx.ConnectTimeout("slow"), GATEWAY_TIMEOUT),
        (httpx.RemoteProtocolError("garbage"), BAD_GATEWAY),
    ],
)
def test_upstream_failures_are_problems_with_retry_after(
    exc: httpx.TransportError, kind: ProblemKind
) -> None:
    problem = upstream_problem(exc, retry_after=0.0)
    assert problem.kind is kind
    assert problem.headers["Retry-After"] == "1"  # a closed breaker: retry in a second
    assert upstream_problem(exc, retry_after=7.2).headers["Retry-After"] == "8"
