"""Helpers of the fault tests: the requests service as a real process."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from tests.requests.harness import AuthStack
from tests.support.procs import Proc, free_port, running, uvicorn_cmd

REQUESTS_FACTORY = "requests_service.main:create_app"


def requests_env(
    stack: AuthStack, database_url: str, storage: Path, **more: object
) -> dict[str, str]:
    """A requests process's environment: quiet background work, no SMTP unless given."""
    values: dict[str, object] = {
        "storage_dir": storage,
        "smtp_host": "127.0.0.1",
        "smtp_port": 9,  # nothing listens: mail waits in the outbox
        "reminder_interval_seconds": 0,
        **more,
    }
    return stack.env_for("REQUESTS_", database_url, **values)


def start_requests(
    env: dict[str, str], port: int | None = None, name: str = "faults-requests"
) -> AbstractContextManager[Proc]:
    """`running(...)` for a requests process on `port` (a free one by default), ready."""
    port = port or free_port()
    return running(
        uvicorn_cmd(REQUESTS_FACTORY, port), port=port, env=env, name=name, ready_path="/readyz"
    )
