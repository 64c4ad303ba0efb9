"""The edge token check: a fast early reject, never the trust boundary.

Services verify every token again; the gateway only spares them traffic that
cannot succeed and learns who the caller is for rate limiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ppid_kit.problems import UNAUTHORIZED, ProblemError
from ppid_kit.tokens import Claims, TokenVerifier

from gateway.routes import RouteRule

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="terbuka"'}


def bearer(authorization: bytes | None) -> str | None:
    """The token of a `Bearer` Authorization, "" for an empty one, None for none or another
    scheme (Basic at the token endpoint is the auth service's business)."""
    if authorization is None:
        return None
    scheme, _, token = authorization.decode("latin-1").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


class EdgeAuth:
    """Verifies Bearer tokens, remembering good ones briefly so the hot path skips crypto."""

    def __init__(
        self,
        verifier: TokenVerifier,
        *,
        cache_size: int = 4096,
        cache_seconds: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._verifier = verifier
        self._cache: dict[str, tuple[Claims, float]] = {}
        self._cache_size = cache_size
        self._cache_seconds = cache_seconds
        self._clock = clock

    async def check(
        self, rule: RouteRule, method: str, authorization: bytes | None
    ) -> Claims | None:
        """Claims of a valid token, None for an anonymous call the route allows; raises 401."""
        token = bearer(authorization)
        if token is None:
            if rule.is_public(method):
                return None
            raise ProblemError(UNAUTHORIZED, headers=_CHALLENGE)
        return await self.verify(token)

    async def verify(self, token: str) -> Claims:
        now = self._clock()
        cached = self._cache.get(token)
        if cached is not None and cached[1] > now:
            return cached[0]
        claims = await self._verifier.verify(token)  # raises ProblemError(INVALID_TOKEN)
        self._remember(token, claims, now)
        return claims

    def _remember(self, token: str, claims: Claims, now: float) -> None:
        if len(self._cache) >= self._cache_size:
            self._cache.pop(next(iter(self._cache)))  # oldest first: dicts keep insertion order
        self._cache[token] = (claims, min(float(claims.exp), now + self._cache_seconds))


def rate_key(claims: Claims) -> str:
    """Whom to count an authenticated call against: the API client, else the subject."""
    return "client:" + (claims.client_id or claims.sub)
