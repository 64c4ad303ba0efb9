"""`/healthz` (the process runs) and `/readyz` (every upstream says it is ready)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit.problems import SERVICE_UNAVAILABLE, Text, respond


async def _ready(client: httpx.AsyncClient, url: str, within: float) -> bool:
    try:
        async with asyncio.timeout(within):
            response = await client.get(url + "/readyz")
    except (httpx.HTTPError, TimeoutError):
        return False
    return response.status_code == 200


async def down_upstreams(
    client: httpx.AsyncClient, upstreams: Mapping[str, str], within: float
) -> list[str]:
    """Names of the upstreams whose `/readyz` does not answer 200 within `within` seconds."""
    names = list(upstreams)
    answers = await asyncio.gather(*(_ready(client, upstreams[n], within) for n in names))
    return [name for name, ok in zip(names, answers, strict=True) if not ok]


def probes_router(upstreams: Mapping[str, str], within: float) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @router.get("/readyz")
    async def readyz(request: Request) -> Response:
        down = await down_upstreams(request.app.state.control_http, upstreams, within)
        if not down:
            return JSONResponse({"status": "ready"})
        names = ", ".join(down)
        detail = Text(
            f"Layanan hulu belum siap: {names}.", f"Upstream services not ready: {names}."
        )
        return respond(
            request,
            SERVICE_UNAVAILABLE,
            detail=detail,
            headers={"Retry-After": "2"},
            extra={"unavailable": down},
        )

    return router
