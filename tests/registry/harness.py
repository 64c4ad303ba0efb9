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

from tests.support.authstack import DINKES_ID, DISDIK_ID, ROOT_ID, AuthStack, Minter, demo_account
from tests.support.lifespan import in_lifespan

__all__ = [
    "DINKES_ID",
    "DISDIK_ID",
    "ROOT_ID",
    "AuthStack",
    "Minter",
    "demo_account",
    "registry_settings",
    "serve_registry",
]


def registry_settings(stack: AuthStack, database_url: str, **overrides: Any) -> RegistrySettings:
    """Registry settings that trust the auth of `stack`."""
    return stack.settings_for(RegistrySettings, database_url, **overrides)


@contextlib.asynccontextmanager
async def serve_registry(settings: RegistrySettings) -> AsyncIterator[httpx.AsyncClient]:
    """The registry app inside its lifespan, reached in-process over ASGI."""
    async with in_lifespan(create_app(settings)) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
