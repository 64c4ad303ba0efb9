"""The reverse proxy: edge checks, then the request streamed to its upstream and back."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
from ppid_kit.problems import (
    BAD_REQUEST,
    PAYLOAD_TOO_LARGE,
    RATE_LIMITED,
    SERVICE_UNAVAILABLE,
    ProblemError,
)
from ppid_kit.tokens import Claims
from starlette.types import Receive, Scope, Send

from gateway.breaker import CircuitBreaker
from gateway.edge_auth import EdgeAuth, rate_key
from gateway.headers import (
    Incoming,
    ProxyTrust,
    RawHeaders,
    forwarding_headers,
    scan,
    upstream_headers,
)
from gateway.ratelimit import RateLimiter
from gateway.routes import RouteRule
from gateway.settings import GatewaySettings
from gateway.streams import BodyTooLarge, ClientGone, relay, request_chunks
from gateway.upstream_errors import breaker_open, upstream_problem

_log = logging.getLogger("gateway.proxy")
_CLOSE = {"Connection": "close"}  # do not wait for the rest of a body we refuse


@dataclass(slots=True)
class Upstream:
    name: str
    base_url: httpx.URL
    prefix: bytes  # the base URL's own path ("" for a bare origin), put before every path
    breaker: CircuitBreaker

    @classmethod
    def at(cls, name: str, url: str, settings: GatewaySettings) -> Upstream:
        breaker = CircuitBreaker(
            failures=settings.breaker_failures, cooldown=settings.breaker_cooldown
        )
        base_url = httpx.URL(url)
        return cls(name, base_url, base_url.raw_path.rstrip(b"/"), breaker)

    def target(self, scope: Scope) -> httpx.URL:
        """The upstream URL for the client's path and query, percent-encoding kept as sent."""
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        query: bytes = scope["query_string"]
        raw = self.prefix + raw_path
        return self.base_url.copy_with(raw_path=raw + b"?" + query if query else raw)


@dataclass(slots=True)
class Runtime:
    """What the lifespan builds: the pooled client and the token checker."""

    client: httpx.AsyncClient
    auth: EdgeAuth


class Proxy:
    """Forwards requests matched by the route table to their upstream."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.upstreams = {
            name: Upstream.at(name, url, settings) for name, url in settings.upstream_urls().items()
        }
        self.anonymous = RateLimiter("default", quota=settings.rate_limit_per_minute)
        # One limiter per API-client tier; the policy name shows the tier ("client" = standard).
        self.clients = {
            tier: RateLimiter("client" if tier == "standard" else f"client-{tier}", quota=quota)
            for tier, quota in settings.tier_quotas().items()
        }
        self.trust = ProxyTrust(settings.trusted_proxies)
        self._timeouts = {
            False: _timeout(settings, settings.read_timeout),
            True: _timeout(settings, settings.export_read_timeout),
        }
        self.runtime: Runtime | None = None

    async def handle(self, rule: RouteRule, scope: Scope, receive: Receive, send: Send) -> None:
        runtime = self.runtime
        if runtime is None:
            raise RuntimeError("the gateway's lifespan has not started")
        if _has_dot_segment(scope["path"]):
            raise ProblemError(BAD_REQUEST)  # never let "/v1/dip/../x" reach a service
        incoming = scan(scope["headers"])
        claims = await runtime.auth.check(rule, scope["method"], incoming.authorization)
        limit_headers = self._count(claims, _peer(scope), incoming)
        try:
            await self._forward(runtime, rule, scope, receive, send, incoming, limit_headers)
        except ProblemError as exc:
            exc.headers.update((k.decode(), v.decode()) for k, v in limit_headers)
            raise
        except ClientGone:
            return  # nobody is left to answer

    def _count(self, claims: Claims | None, peer: str, incoming: Incoming) -> RawHeaders:
        """Count the call against its client or address; the RateLimit fields, or 429."""
        if claims is None:
            limiter, key = self.anonymous, self.trust.client_address(peer, incoming.forwarded_for)
        else:  # an unknown or missing tier (user tokens) counts as standard
            limiter = self.clients.get(claims.tier or "", self.clients["standard"])
            key = rate_key(claims)
        decision = limiter.hit(key)
        headers = [
            (b"ratelimit-policy", limiter.policy_header),
            (b"ratelimit", limiter.header(decision)),
        ]
        if not decision.allowed:
            retry = {"Retry-After": str(decision.retry_after)}
            retry.update((k.decode(), v.decode()) for k, v in headers)
            raise ProblemError(RATE_LIMITED, headers=retry)
        return headers

    async def _forward(
        self,
        runtime: Runtime,
        rule: RouteRule,
        scope: Scope,
        receive: Receive,
        send: Send,
        incoming: Incoming,
        extra_headers: RawHeaders,
    ) -> None:
        body = self._body(rule, incoming, receive)
        upstream = self.upstreams[rule.upstream]
        wait = upstream.breaker.acquire()
        if wait > 0:
            raise breaker_open(wait)
        request = httpx.Request(
            scope["method"],
            upstream.target(scope),
            headers=self._headers_out(scope, incoming),
            content=body,
            extensions={"timeout": self._timeouts[rule.export]},
        )
        response = await _send(runtime.client, upstream, request)
        try:
            await relay(response, receive, send, extra_headers, upstream.name)
        finally:
            await response.aclose()

    def _body(
        self, rule: RouteRule, incoming: Incoming, receive: Receive
    ) -> AsyncIterator[bytes] | None:
        """The request body as a stream, refusing at once what Content-Length says is too big."""
        limit = self.settings.max_body_bytes
        if rule.uploads and not _parsed_in_memory(incoming.content_type):
            limit = self.settings.max_upload_bytes
        if incoming.content_length is not None:
            if not incoming.content_length.isdigit():
                raise ProblemError(BAD_REQUEST, headers=_CLOSE)
            declared = int(incoming.content_length)
            if declared > limit:
                raise ProblemError(PAYLOAD_TOO_LARGE, headers=_CLOSE)
            if declared == 0:
                return None
        elif not incoming.chunked:
            return None
        return request_chunks(receive, limit)

    def _headers_out(self, scope: Scope, incoming: Incoming) -> RawHeaders:
        peer = _peer(scope)
        headers = upstream_headers(scope["headers"], incoming.connection)
        headers += forwarding_headers(
            incoming,
            peer,
            scope.get("scheme", "http"),
            scope.get("state", {}).get("request_id", ""),
            trusted=self.trust.trusts(peer),
        )
        return headers


async def _send(
    client: httpx.AsyncClient, upstream: Upstream, request: httpx.Request
) -> httpx.Response:
    """Send `request`, telling the breaker how it went and turning failures into problems."""
    try:
        response = await client.send(request, stream=True)
    except BodyTooLarge:
        upstream.breaker.abandon()
        raise ProblemError(PAYLOAD_TOO_LARGE, headers=_CLOSE) from None
    except httpx.PoolTimeout:  # our own pool is full: not the upstream's fault
        upstream.breaker.abandon()
        raise ProblemError(SERVICE_UNAVAILABLE, headers={"Retry-After": "1"}) from None
    except httpx.TransportError as exc:
        upstream.breaker.record_failure()
        _log.warning("upstream %s failed: %s", upstream.name, type(exc).__name__)
        raise upstream_problem(exc, upstream.breaker.retry_after()) from None
    except BaseException:  # the client left, or we are being cancelled
        upstream.breaker.abandon()
        raise
    upstream.breaker.record_success()
    return response


def _timeout(settings: GatewaySettings, read: float) -> dict[str, float | None]:
    connect = settings.connect_timeout
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect).as_dict()


def _parsed_in_memory(content_type: bytes) -> bool:
    """JSON and form bodies are parsed whole by a service: they keep the small limit."""
    media = content_type.split(b";", 1)[0].strip().lower()
    return media.endswith(b"json") or media == b"application/x-www-form-urlencoded"


def _peer(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""


def _has_dot_segment(path: str) -> bool:
    if "/." not in path:
        return False
    return any(segment in (".", "..") for segment in path.split("/"))
