"""The public base URL of the API, for the absolute links that exports carry.

Behind the gateway the registry sees an internal host, so the catalog and the Atom feed
build their links from what the gateway forwards: the first element of `Forwarded`
(RFC 7239), else `X-Forwarded-Proto` and `X-Forwarded-Host`. The gateway replaces both
unless the client is a proxy it trusts, and only the gateway reaches the registry. The
values are still checked (scheme `http`/`https`, a plain host name or address with an
optional port) so a forged header can never inject markup or a path into a link.
Without them the request's own base URL is used.
"""

from __future__ import annotations

import re

from fastapi import Request

_HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$"
)
_SCHEMES = frozenset({"http", "https"})


def _first(value: str | None) -> str | None:
    """The first item of a comma-separated header (the one the client's proxy set)."""
    if not value:
        return None
    return value.split(",", 1)[0].strip() or None


def _forwarded_pair(header: str | None) -> tuple[str | None, str | None]:
    """`proto` and `host` of the first element of an RFC 7239 `Forwarded` header."""
    element = _first(header)
    if element is None:
        return None, None
    found: dict[str, str] = {}
    for pair in element.split(";"):
        name, _, value = pair.partition("=")
        found[name.strip().lower()] = value.strip().strip('"')
    return found.get("proto"), found.get("host")


def _base(proto: str | None, host: str | None) -> str | None:
    if proto is None or proto.lower() not in _SCHEMES or host is None or not _HOST.match(host):
        return None
    return f"{proto.lower()}://{host}"


def public_base_url(request: Request) -> str:
    """`https://data.example.go.id` (no trailing slash): where the API's `/v1/…` paths live."""
    forwarded = _base(*_forwarded_pair(request.headers.get("forwarded")))
    if forwarded is not None:
        return forwarded
    x_forwarded = _base(
        _first(request.headers.get("x-forwarded-proto")),
        _first(request.headers.get("x-forwarded-host")),
    )
    if x_forwarded is not None:
        return x_forwarded
    return str(request.base_url).rstrip("/")
