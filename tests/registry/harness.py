"""The registry in-process, in front of the real auth service running as a process.

The auth side (the process, the demo data, the token minter) is `tests/support/authstack.py`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from registry_service.main import create_app
from registry_service.settings import RegistrySettings

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
    "registry_settings",
    "serve_registry",
]


def registry_settings(stack: AuthStack, database_url: str, **overrides: Any) -> RegistrySettings:
    """Registry settings that trust the auth of `stack`."""
    return stack.settings_for(RegistrySettings, database_url, **overrides)


@contextlib.asynccontextmanager
async def serve_registry(settings: RegistrySettings) -> AsyncIterator[httpx.AsyncClient]:
    """The registry app inside its lifespan, reached in-process over ASGI."""
    async with serve(create_app(settings)) as client:
        yield client
