"""`create_service_app`: the FastAPI app every service builds, with the kit wired in."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware import Middleware
from fastapi.routing import APIRoute
from prometheus_client import CollectorRegistry

from ppid_kit.background import STOP_TIMEOUT
from ppid_kit.cursor import CursorCodec
from ppid_kit.db import create_engine, ping
from ppid_kit.health import health_router
from ppid_kit.logging import RequestContextMiddleware, configure_logging
from ppid_kit.metrics import PrometheusMiddleware, metrics_router
from ppid_kit.openapi import install_problem_schema
from ppid_kit.problems import install_problem_handlers
from ppid_kit.settings import DEV_CURSOR_SECRET, ServiceSettings
from ppid_kit.tokens import JWKSCache, TokenVerifier
from ppid_kit.unit_tree import UnitTreeCache

_log = logging.getLogger("ppid_kit.app")
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route function names: stable and readable in generated clients."""
    return route.name


async def _database_ready(request: Request) -> None:
    await ping(request.app.state.engine)


def _kit_lifespan(settings: ServiceSettings, name: str, extra: Lifespan | None) -> Lifespan:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(name, settings.log_level)
        if settings.cursor_secret.get_secret_value() == DEV_CURSOR_SECRET:
            _log.warning("cursor_secret is the development default; set it in production")
        engine = create_engine(settings.database_url, pool_size=settings.db_pool_size)
        http = httpx.AsyncClient(timeout=httpx.Timeout(5.0), follow_redirects=False)
        app.state.settings = settings
        app.state.engine = engine
        app.state.http = http
        app.state.token_verifier = TokenVerifier(
            JWKSCache(settings.jwks_url, http),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            algorithms=tuple(settings.jwt_algorithms),
        )
        # Lazy: the first `get()` fetches; readiness does not depend on auth.
        app.state.unit_tree = UnitTreeCache(
            settings.unit_tree_url, http, refresh_seconds=settings.unit_tree_refresh_seconds
        )
        app.state.cursor = CursorCodec(settings.cursor_secret.get_secret_value())
        try:
            if extra is None:
                yield
            else:
                async with extra(app):
                    yield
        finally:
            await http.aclose()
            # Bounded: a replica told to stop must stop even if a connection hangs.
            try:
                await asyncio.wait_for(engine.dispose(), timeout=STOP_TIMEOUT)
            except TimeoutError:
                _log.warning("database connections did not close in time")

    return lifespan


def create_service_app(
    *,
    name: str,
    title: str,
    version: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    description: str = "",
    lifespan: Lifespan | None = None,
) -> FastAPI:
    """Build a service app; `lifespan(app)` runs inside the kit's (engine etc. are ready)."""
    registry = CollectorRegistry(auto_describe=True)
    app = FastAPI(
        title=title,
        version=version,
        description=description,
        lifespan=_kit_lifespan(settings, name, lifespan),
        generate_unique_id_function=operation_id,
        # Services sit behind the gateway, which serves the merged docs with local assets.
        docs_url=None,
        redoc_url=None,
        middleware=[
            Middleware(RequestContextMiddleware),
            Middleware(PrometheusMiddleware, registry=registry, service=name),
        ],
    )
    app.state.metrics_registry = registry
    install_problem_handlers(app)
    app.include_router(health_router(_database_ready))
    app.include_router(metrics_router(registry))
    for router in routers:
        app.include_router(router)
    install_problem_schema(app)
    return app
