"""`create_app`: the gateway's ASGI app (serve with `uvicorn gateway.main:create_app --factory`).

Run uvicorn with `--no-proxy-headers`: the gateway decides itself which proxies to
believe (`GATEWAY_TRUSTED_PROXIES`); uvicorn's default would trust 127.0.0.1 blindly.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.middleware import Middleware
from ppid_kit.logging import RequestContextMiddleware, configure_logging
from ppid_kit.metrics import PrometheusMiddleware, metrics_router
from ppid_kit.problems import install_problem_handlers
from ppid_kit.tokens import JWKSCache, TokenVerifier
from prometheus_client import CollectorRegistry
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from gateway.client_origins import ORIGINS_PATH, ClientOrigins
from gateway.cors import AllowedOrigins, DynamicCORSMiddleware
from gateway.docs import docs_router
from gateway.edge_auth import EdgeAuth
from gateway.live_spec import LiveSpec
from gateway.probes import probes_router
from gateway.proxy import Proxy, Runtime
from gateway.routes import ROUTES, RouteRule
from gateway.settings import GatewaySettings

EXPOSED_HEADERS = ["X-Request-ID", "ETag", "Link", "RateLimit", "RateLimit-Policy", "Retry-After"]


class ProxyRoute(BaseRoute):
    """One rule of the route table as a Starlette route; its label names it in metrics."""

    def __init__(self, rule: RouteRule, proxy: Proxy) -> None:
        self.rule = rule
        self.proxy = proxy
        self.path = rule.prefix
        self.path_format = rule.label  # what the kit's metrics and access log record
        self.name = rule.label
        self._child_scope: Scope = {"route": self}

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and self.rule.matches(scope["path"]):
            return Match.FULL, self._child_scope
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.proxy.handle(self.rule, scope, receive, send)


def _data_client(settings: GatewaySettings) -> httpx.AsyncClient:
    limits = httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_keepalive_connections,
    )
    return httpx.AsyncClient(
        limits=limits,
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        follow_redirects=False,
        trust_env=False,  # no HTTP(S)_PROXY detours between us and the services
        # A shared client must not keep one user's Set-Cookie for everyone.
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
    )


def _control_client(settings: GatewaySettings) -> httpx.AsyncClient:
    # Probes, JWKS and specs get their own small pool, so long transfers cannot starve them.
    return httpx.AsyncClient(
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        timeout=httpx.Timeout(5.0, connect=settings.connect_timeout),
        trust_env=False,
    )


def _edge_auth(settings: GatewaySettings, control: httpx.AsyncClient) -> EdgeAuth:
    jwks = JWKSCache(settings.jwks_url, control)  # fetched from auth over HTTP
    verifier = TokenVerifier(
        jwks,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        algorithms=settings.jwt_algorithms,
    )
    return EdgeAuth(verifier)


def _lifespan(
    settings: GatewaySettings, proxy: Proxy, origins: AllowedOrigins
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("gateway", settings.log_level)
        async with _data_client(settings) as data, _control_client(settings) as control:
            proxy.runtime = Runtime(data, _edge_auth(settings, control))
            app.state.control_http = control
            app.state.live_spec = LiveSpec(
                control,
                settings.upstream_urls(),
                ttl=settings.openapi_cache_seconds,
                servers=[{"url": settings.public_url}],
            )
            url = settings.upstream_urls()["auth"] + ORIGINS_PATH
            poller = ClientOrigins(
                origins, control, url, interval=settings.client_origins_refresh_seconds
            )
            polling = asyncio.create_task(poller.run(), name="client-origins")
            try:
                yield
            finally:
                proxy.runtime = None
                polling.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await polling

    return lifespan


def _middleware(registry: CollectorRegistry, origins: AllowedOrigins) -> list[Middleware]:
    """Outermost first: every answer, CORS preflights included, gets a request id."""
    cors = Middleware(
        DynamicCORSMiddleware,
        origins=origins,
        allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )
    return [
        Middleware(RequestContextMiddleware),
        Middleware(PrometheusMiddleware, registry=registry, service="gateway"),
        cors,
    ]


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    proxy = Proxy(settings)
    registry = CollectorRegistry(auto_describe=True)
    origins = AllowedOrigins(settings.cors_origins)
    app = FastAPI(
        title="Terbuka gateway",
        openapi_url=None,  # /openapi.json is the merged document, served by docs_router
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,  # "/v1/auth" is nobody's; redirecting would hide a 404
        lifespan=_lifespan(settings, proxy, origins),
        middleware=_middleware(registry, origins),
    )
    app.state.metrics_registry = registry
    app.state.proxy = proxy
    app.state.allowed_origins = origins
    install_problem_handlers(app)
    app.router.routes.extend(ProxyRoute(rule, proxy) for rule in ROUTES)
    app.include_router(probes_router(settings.upstream_urls(), settings.readiness_timeout))
    app.include_router(metrics_router(registry))
    app.include_router(docs_router())
    return app
