"""A circuit breaker per upstream: stop knocking on a door that does not open.

Closed: every request goes through; `failures` consecutive transport failures open it.
Open: requests are refused at once (the caller answers 503 with `Retry-After`).
Half-open (after the cooldown): one trial request goes through; success closes the
breaker, failure opens it for another cooldown.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class CircuitBreaker:
    """State of one upstream; single event loop, so no locking is needed."""

    __slots__ = ("_clock", "_cooldown", "_failures", "_open_until", "_threshold", "_trial")

    def __init__(
        self,
        *,
        failures: int,
        cooldown: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._threshold = failures
        self._cooldown = cooldown
        self._clock = clock
        self._failures = 0
        self._open_until = 0.0  # 0 means closed
        self._trial = False  # a half-open trial is in flight

    @property
    def is_open(self) -> bool:
        return self._open_until != 0.0

    def retry_after(self) -> float:
        """Seconds the breaker stays open (0 when closed): a fair `Retry-After`."""
        if self._open_until == 0.0:
            return 0.0
        return max(0.0, self._open_until - self._clock())

    def acquire(self) -> float:
        """0 when a request may go now (maybe as the half-open trial), else seconds to wait."""
        if self._open_until == 0.0:
            return 0.0
        remaining = self._open_until - self._clock()
        if remaining > 0:
            return remaining
        if self._trial:
            return 1.0  # someone else is probing; ask again in a moment
        self._trial = True
        return 0.0

    def record_success(self) -> None:
        self._failures = 0
        self._open_until = 0.0
        self._trial = False

    def record_failure(self) -> None:
        self._failures += 1
        if self._trial or self._failures >= self._threshold:
            self._open_until = self._clock() + self._cooldown
        self._trial = False

    def abandon(self) -> None:
        """The request ended without telling anything (the client left): free the trial."""
        self._trial = False
