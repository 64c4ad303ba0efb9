"""The API clients' browser origins, polled from auth with conditional GETs.

A background task of the lifespan: requests never wait for it, and a failed poll
keeps the last good list (a brief auth outage must not break every browser app).
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from pydantic import BaseModel, ValidationError

from gateway.cors import AllowedOrigins

_log = logging.getLogger("gateway.cors")
ORIGINS_PATH = "/v1/auth/clients/cors-origins"


class _OriginList(BaseModel):
    origins: list[str]


class ClientOrigins:
    """Keeps `allowed.clients` in step with auth's list, every `interval` seconds."""

    def __init__(
        self, allowed: AllowedOrigins, client: httpx.AsyncClient, url: str, *, interval: float
    ) -> None:
        self.allowed = allowed
        self._client = client
        self._url = url
        self._interval = interval
        self._etag: str | None = None

    async def run(self) -> None:
        """Poll until cancelled."""
        while True:
            await self.refresh()
            await asyncio.sleep(self._interval)

    async def refresh(self) -> bool:
        """One poll; False when it failed (the last good list stays)."""
        headers = {"If-None-Match": self._etag} if self._etag else {}
        try:
            response = await self._client.get(self._url, headers=headers)
            if response.status_code == 304:
                return True
            response.raise_for_status()
            found = _OriginList.model_validate_json(response.content)
        except (httpx.HTTPError, ValidationError) as exc:
            _log.warning("client origins not refreshed: %s", type(exc).__name__)
            return False
        self.allowed.clients = frozenset(found.origins)
        self._etag = response.headers.get("etag")
        return True
