"""CORS whose allowed origins can change while the gateway runs.

Starlette's middleware keeps its behaviour (preflight answers, exposed headers,
`Vary: Origin`); only the origin check also consults the API clients' origins,
which `ClientOrigins` refreshes from auth in the background.
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp


class AllowedOrigins:
    """The configured origins plus the API clients' current ones (swapped whole, never edited)."""

    __slots__ = ("clients", "static")

    def __init__(self, static: Collection[str]) -> None:
        self.static = frozenset(static)
        self.clients: frozenset[str] = frozenset()

    def allows(self, origin: str) -> bool:
        return origin in self.static or origin in self.clients


class DynamicCORSMiddleware(CORSMiddleware):
    """`CORSMiddleware` with an origin set read on every request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        origins: AllowedOrigins,
        allow_methods: Collection[str],
        expose_headers: Collection[str],
        max_age: int,
    ) -> None:
        super().__init__(
            app,
            allow_origins=sorted(origins.static),  # "*" keeps its meaning
            allow_methods=allow_methods,
            allow_headers=["*"],
            expose_headers=expose_headers,
            max_age=max_age,
        )
        self.origins = origins

    def is_allowed_origin(self, origin: str) -> bool:
        return self.allow_all_origins or self.origins.allows(origin)
