"""The merged OpenAPI document, built from the upstreams' live specs and cached briefly."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx

from gateway.openapi_merge import merge_openapi
from gateway.routes import ROUTES

_log = logging.getLogger("gateway.openapi")


class LiveSpec:
    """Fetches `/openapi.json` of every upstream at most once per `ttl` seconds.

    An upstream that does not answer keeps contributing its last good spec (if
    any), and is named in `x-terbuka-unavailable` until it answers again.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        upstreams: Mapping[str, str],
        *,
        ttl: float,
        servers: list[dict[str, Any]],
    ) -> None:
        self._client = client
        self._upstreams = dict(upstreams)
        self._ttl = ttl
        self._servers = servers
        self._last_good: dict[str, dict[str, Any]] = {}
        self._merged: dict[str, Any] | None = None
        self._built_at = 0.0
        self._lock = asyncio.Lock()  # one refresh at a time; the others wait for its result

    async def get(self) -> dict[str, Any]:
        if self._fresh():
            assert self._merged is not None
            return self._merged
        async with self._lock:
            if not self._fresh():
                self._merged = await self._build()
                self._built_at = time.monotonic()
            assert self._merged is not None
            return self._merged

    def _fresh(self) -> bool:
        return self._merged is not None and time.monotonic() - self._built_at < self._ttl

    async def _build(self) -> dict[str, Any]:
        names = list(self._upstreams)
        results = await asyncio.gather(*(self._fetch(name) for name in names))
        unavailable = [name for name, spec in zip(names, results, strict=True) if spec is None]
        for name, spec in zip(names, results, strict=True):
            if spec is not None:
                self._last_good[name] = spec
        specs = {name: self._last_good[name] for name in names if name in self._last_good}
        return merge_openapi(specs, ROUTES, unavailable=unavailable, servers=self._servers)

    async def _fetch(self, name: str) -> dict[str, Any] | None:
        try:
            response = await self._client.get(self._upstreams[name] + "/openapi.json")
            response.raise_for_status()
            spec = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            _log.warning("openapi of %s unavailable: %s", name, type(exc).__name__)
            return None
        return spec if isinstance(spec, dict) else None
