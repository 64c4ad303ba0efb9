"""Liveness (`/healthz`) and readiness (`/readyz`) probes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from ppid_kit.problems import SERVICE_UNAVAILABLE, Text, respond

_log = logging.getLogger("ppid_kit.health")
_NOT_READY = Text(
    "Layanan belum siap: basis data tidak dapat dihubungi.",
    "The service is not ready: the database cannot be reached.",
)


def health_router(ready: Callable[[Request], Awaitable[None]]) -> APIRouter:
    """`ready` raises when the service cannot serve (e.g. the database ping fails)."""
    router = APIRouter()

    @router.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @router.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> Response:
        try:
            await ready(request)
        except Exception as exc:
            _log.warning("not ready: %s", type(exc).__name__)
            return respond(
                request, SERVICE_UNAVAILABLE, detail=_NOT_READY, headers={"Retry-After": "2"}
            )
        return JSONResponse({"status": "ready"})

    return router
