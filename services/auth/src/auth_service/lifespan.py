"""Composing the auth service's lifespan hooks into the one `create_service_app` takes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from ppid_kit.app import Lifespan


def compose_lifespans(*hooks: Lifespan) -> Lifespan:
    """Enter `hooks` in order (inside the kit's lifespan) and leave them in reverse."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for hook in hooks:
                await stack.enter_async_context(hook(app))
            yield

    return lifespan
