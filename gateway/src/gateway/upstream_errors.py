"""What a client is told when an upstream cannot be reached or misbehaves."""

from __future__ import annotations

import math

import httpx
from ppid_kit.problems import (
    BAD_GATEWAY,
    GATEWAY_TIMEOUT,
    SERVICE_UNAVAILABLE,
    ProblemError,
    Text,
)

_REFUSED = Text(
    "Layanan hulu tidak dapat dihubungi; coba lagi sebentar lagi.",
    "The upstream service cannot be reached; try again shortly.",
)
_OPEN = Text(
    "Layanan hulu sedang gagal berulang kali; permintaan ditahan sementara.",
    "The upstream service keeps failing; requests are held back for a while.",
)


def upstream_problem(exc: httpx.TransportError, retry_after: float) -> ProblemError:
    """Refused or reset: 503; too slow: 504; anything else: 502; each with `Retry-After`."""
    if isinstance(exc, httpx.TimeoutException):
        return ProblemError(GATEWAY_TIMEOUT, headers=_retry(retry_after))
    if isinstance(exc, httpx.NetworkError):
        return ProblemError(SERVICE_UNAVAILABLE, _REFUSED, headers=_retry(retry_after))
    return ProblemError(BAD_GATEWAY, headers=_retry(retry_after))


def breaker_open(retry_after: float) -> ProblemError:
    return ProblemError(SERVICE_UNAVAILABLE, _OPEN, headers=_retry(retry_after))


def _retry(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
