"""The route table: which upstream serves which public path, and on what terms."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Access(enum.Enum):
    """What the edge demands before forwarding (services always check again)."""

    PUBLIC = "public"
    PUBLIC_READ = "public-read"
    BEARER = "bearer"


@dataclass(frozen=True, slots=True)
class RouteRule:
    """One prefix of the public URL space and the upstream behind it.

    A prefix ending in "/" matches everything below it; any other prefix matches
    itself and what follows it after "/" or "." (`/v1/dip` matches `/v1/dip`,
    `/v1/dip/entries` and `/v1/dip.json`, never `/v1/dipx`).
    """

    prefix: str
    upstream: str
    access: Access
    export: bool = False  # long-running streamed exports get the long read timeout
    uploads: bool = False  # file uploads get the larger body limit

    @property
    def label(self) -> str:
        """Low-cardinality name of the route group, for metrics and logs."""
        return f"{self.upstream}:{self.prefix}*"

    def matches(self, path: str) -> bool:
        prefix = self.prefix
        if not path.startswith(prefix):
            return False
        if prefix.endswith("/") or len(path) == len(prefix):
            return True
        return path[len(prefix)] in "/."

    def is_public(self, method: str) -> bool:
        if self.access is Access.PUBLIC:
            return True
        return self.access is Access.PUBLIC_READ and method in READ_METHODS


# Order matters: the first match wins, so specific prefixes come before their parents.
ROUTES: tuple[RouteRule, ...] = (
    RouteRule("/v1/auth/", "auth", Access.PUBLIC),
    RouteRule("/.well-known/", "auth", Access.PUBLIC),
    RouteRule("/v1/units", "auth", Access.PUBLIC_READ),
    RouteRule("/v1/dip/export", "registry", Access.PUBLIC_READ, export=True),
    RouteRule("/v1/dip/catalog", "registry", Access.PUBLIC_READ, export=True),
    RouteRule("/v1/dip/feed", "registry", Access.PUBLIC_READ, export=True),
    RouteRule("/v1/dip", "registry", Access.PUBLIC_READ, uploads=True),
    RouteRule("/v1/dik", "registry", Access.PUBLIC_READ, uploads=True),
    # Anonymous submission and tracking by secret: the requests service decides.
    RouteRule("/v1/requests", "requests", Access.PUBLIC, uploads=True),
    RouteRule("/v1/objections", "requests", Access.PUBLIC, uploads=True),
    RouteRule("/v1/calendar", "requests", Access.PUBLIC_READ),
    RouteRule("/v1/statistics", "requests", Access.PUBLIC_READ),
    RouteRule("/v1/webhooks", "requests", Access.BEARER),
)

UPSTREAMS: tuple[str, ...] = ("auth", "registry", "requests")


def rule_for(path: str, routes: Sequence[RouteRule] = ROUTES) -> RouteRule | None:
    """The first rule that matches `path`, or None when the gateway does not route it."""
    for rule in routes:
        if rule.matches(path):
            return rule
    return None
