"""The requests service in-process, trusting the real auth process (tests/support/authstack.py).

`serve_requests(settings)` runs the app inside its lifespan behind an httpx client
whose responses pass through the personal-data guard (`pii.PiiGuard`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from requests_service.main import create_app
from requests_service.settings import RequestsSettings

from tests.requests.pii import GUARD
from tests.services.support import serve
from tests.support.authstack import (
    DINKES_ID,
    DISDIK_ID,
    ROOT_ID,
    AuthStack,
    Minter,
    demo_account,
    official,
)

__all__ = [
    "DINKES_ID",
    "DISDIK_ID",
    "ROOT_ID",
    "AuthStack",
    "Minter",
    "demo_account",
    "official",
    "requests_settings",
    "serve_requests",
]


def requests_settings(
    stack: AuthStack, database_url: str, storage_dir: Path, **overrides: Any
) -> RequestsSettings:
    """Requests settings trusting `stack`'s auth; local private store; no SMTP unless given."""
    values: dict[str, Any] = {
        "storage_dir": storage_dir,
        # Nothing listens here: the outbox keeps its messages until a test gives a server.
        "smtp_host": "127.0.0.1",
        "smtp_port": 9,
        **overrides,
    }
    return stack.settings_for(RequestsSettings, database_url, **values)


@contextlib.asynccontextmanager
async def serve_requests(settings: RequestsSettings) -> AsyncIterator[httpx.AsyncClient]:
    """The requests app inside its lifespan, reached in-process over ASGI, guarded."""
    hooks = {"response": [GUARD.inspect_response]}
    async with serve(create_app(settings), event_hooks=hooks) as client:
        yield client
        await GUARD.inspect_metrics(client)
