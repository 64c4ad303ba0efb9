"""Background tasks that live as long as an app's lifespan, and stop in bounded time.

A replica that is told to stop (SIGTERM from Kubernetes, Ctrl-C in `make run`) must
not hang on a worker stuck in I/O: each task is cancelled and awaited for at most
`stop_timeout` seconds, then left behind with a warning.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

_log = logging.getLogger("ppid_kit.background")
STOP_TIMEOUT = 10.0


async def stop_task(task: asyncio.Task[Any], *, stop_timeout: float = STOP_TIMEOUT) -> None:
    """Cancel `task` and wait for it to end, at most `stop_timeout` seconds."""
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=stop_timeout)
    if not done:
        _log.warning("background task did not stop in time", extra={"task": task.get_name()})
    elif not task.cancelled() and task.exception() is not None:
        error = type(task.exception()).__name__
        _log.warning("background task failed", extra={"task": task.get_name(), "error": error})


def reraise_if_cancelled(exc: BaseException) -> None:
    """Call in a worker's `except Exception`: re-raise a cancellation another error hides.

    SQLAlchemy on asyncpg can surface a query cancelled by `task.cancel()` as a
    `DBAPIError`; a loop that logs and carries on would then outlive its app (a
    cancellation is delivered once). While the task is being cancelled, this raises
    `CancelledError` instead.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError from exc


@asynccontextmanager
async def in_background(
    coro: Coroutine[Any, Any, None], *, name: str, stop_timeout: float = STOP_TIMEOUT
) -> AsyncIterator[asyncio.Task[None]]:
    """Run `coro` as a task for the duration of the block; stop it on the way out."""
    task = asyncio.create_task(coro, name=name)
    try:
        yield task
    finally:
        await stop_task(task, stop_timeout=stop_timeout)
