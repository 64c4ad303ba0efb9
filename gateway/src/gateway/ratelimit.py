"""In-memory rate limits (GCRA, a token bucket kept as one float per key).

Each gateway replica limits separately: with N replicas behind a load balancer a
client may get up to N times the quota. Headers follow
draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "name";q=300;w=60` and
`RateLimit: "name";r=<remaining>;t=<seconds until the quota is whole again>`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import NamedTuple

# Floats that should be whole numbers come out a hair short; never lose a unit to that.
_EPSILON = 1e-9


class Decision(NamedTuple):
    allowed: bool
    remaining: int
    reset: int  # whole seconds until the full quota is back
    retry_after: int  # whole seconds until one more request is allowed (0 when allowed)


class RateLimiter:
    """`quota` requests per `window` seconds per key, allowing a burst of the whole quota."""

    __slots__ = ("_clock", "_interval", "_next_sweep", "_tat", "name", "policy_header", "window")

    def __init__(
        self,
        name: str,
        *,
        quota: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.window = window
        self._interval = window / quota
        self._clock = clock
        self._tat: dict[str, float] = {}  # theoretical arrival time of the next request
        self._next_sweep = clock() + window
        self.policy_header = f'"{name}";q={quota};w={int(window)}'.encode()

    def hit(self, key: str) -> Decision:
        """Count one request for `key` unless that would exceed the quota."""
        now = self._clock()
        if now >= self._next_sweep:
            self._sweep(now)
        tat = max(self._tat.get(key, now), now)
        new_tat = tat + self._interval
        allow_at = new_tat - self.window
        if allow_at > now + _EPSILON:
            return Decision(False, 0, _ceil(tat - now), max(1, _ceil(allow_at - now)))
        self._tat[key] = new_tat
        remaining = int((self.window - (new_tat - now)) / self._interval + _EPSILON)
        return Decision(True, max(0, remaining), _ceil(new_tat - now), 0)

    def header(self, decision: Decision) -> bytes:
        """Value of the `RateLimit` field for `decision`."""
        return f'"{self.name}";r={decision.remaining};t={decision.reset}'.encode()

    def __len__(self) -> int:
        return len(self._tat)

    def _sweep(self, now: float) -> None:
        # A key whose TAT has passed holds a full bucket: forgetting it changes nothing.
        self._tat = {key: tat for key, tat in self._tat.items() if tat > now}
        self._next_sweep = now + self.window


def _ceil(seconds: float) -> int:
    return max(0, math.ceil(seconds - _EPSILON))
