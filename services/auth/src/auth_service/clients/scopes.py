"""The scopes an API client may hold (a fixed allowlist), and checks of client fields.

Scopes say what a client may do on its own account; what an official may do comes
from their grants, never from a client's scopes.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

CLIENT_SCOPES: Final[dict[str, str]] = {
    "dip:read": "Read DIP entries and their documents (a client's own quota, not the address's).",
    "dip:feed": "Follow the DIP change feed and pull the bulk exports (aggregators).",
    "requests:submit": "Submit information requests and objections for requesters.",
    "requests:track": "Read the status of requests submitted through this client.",
    "statistics:read": "Read service statistics and published reports.",
    "webhooks:manage": "Subscribe this client to webhooks and manage its subscriptions.",
    "units:tree": "Read the internal unit tree (services and partners that cache it).",
    "service": "Service-to-service calls inside a deployment (service accounts only).",
}
SERVICE_ONLY_SCOPES: Final = frozenset({"service"})
MAX_ORIGINS = 20


def check_scopes(scopes: list[str]) -> list[str]:
    """Known scopes only, each once, sorted (so the stored list has one spelling)."""
    unknown = sorted(set(scopes) - CLIENT_SCOPES.keys())
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(unknown)}")
    return sorted(set(scopes))


def _origin(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"not an origin: {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError(f"an origin has no path, query or credentials: {value!r}")
    if parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1"):
        raise ValueError(f"plain http is only for localhost: {value!r}")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def check_origins(origins: list[str]) -> list[str]:
    """Browser origins (`https://host[:port]`), normalised, each once."""
    if len(origins) > MAX_ORIGINS:
        raise ValueError(f"at most {MAX_ORIGINS} origins")
    return sorted({_origin(origin) for origin in origins})


def parse_scope(scope: str | None) -> set[str] | None:
    """RFC 6749 §3.3: space-delimited; None when the parameter is absent or empty."""
    if scope is None or not scope.strip():
        return None
    return set(scope.split())


def format_scope(scopes: set[str] | list[str]) -> str:
    return " ".join(sorted(scopes))
