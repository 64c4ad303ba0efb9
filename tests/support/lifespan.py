"""An app inside its lifespan, with startup and shutdown bounded generously.

asgi-lifespan's default bounds (5 s each way) are timed assertions in disguise: on a
loaded two-core CI machine, stopping background workers and closing a pool of
PostgreSQL connections has taken longer than that. Speed is `make bench`'s business;
these bounds only stop a lifespan that truly hangs from hanging the whole run.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from asgi_lifespan import LifespanManager
from starlette.types import ASGIApp

STARTUP_TIMEOUT = 60.0
SHUTDOWN_TIMEOUT = 60.0


@contextlib.asynccontextmanager
async def in_lifespan(app: ASGIApp) -> AsyncIterator[ASGIApp]:
    """Run `app`'s lifespan around the block; yields the app to send requests to."""
    async with LifespanManager(
        app, startup_timeout=STARTUP_TIMEOUT, shutdown_timeout=SHUTDOWN_TIMEOUT
    ) as manager:
        yield manager.app
