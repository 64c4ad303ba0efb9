"""The auth service verifies its own tokens from its database, not over HTTP to itself."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from ppid_kit.tokens import JWKSUnavailableError, UnknownKeyError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from auth_service.tokens.keys import published_keys

_log = logging.getLogger("auth_service.tokens")


class DatabaseKeySource:
    """`ppid_kit.tokens.KeySource` over `signing_keys`: the keys the JWKS publishes.

    Kept `ttl` seconds so a retired key leaves soon after the JWKS drops it; an unknown
    kid rereads at most once per `min_refresh_interval`, so junk tokens cost no queries.
    """

    def __init__(
        self, engine: AsyncEngine, *, ttl: float = 10.0, min_refresh_interval: float = 1.0
    ) -> None:
        self._engine = engine
        self._ttl = ttl
        self._min_refresh = min_refresh_interval
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: float | None = None
        self._attempted_at = float("-inf")
        self._lock = asyncio.Lock()

    async def get_key(self, kid: str) -> dict[str, Any]:
        now = time.monotonic()
        stale = self._fetched_at is None or now - self._fetched_at >= self._ttl
        if stale or kid not in self._keys:
            await self._refresh()
        key = self._keys.get(kid)
        if key is None:
            if self._fetched_at is None:
                raise JWKSUnavailableError("signing_keys")
            raise UnknownKeyError(kid)
        return key

    async def _refresh(self) -> None:
        async with self._lock:
            now = time.monotonic()
            if now - self._attempted_at < self._min_refresh:
                return
            self._attempted_at = now
            try:
                async with AsyncSession(self._engine) as session:
                    keys = await published_keys(session)
            except (SQLAlchemyError, OSError) as exc:
                _log.warning("signing keys unreadable: %s", type(exc).__name__)
                return
            self._keys = {key.kid: dict(key.public_jwk) for key in keys}
            self._fetched_at = now
