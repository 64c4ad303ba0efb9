"""The requests service's own lifespan: the private store, the outbox, the reminders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from requests_service.files.lifespan import storage_lifespan
from requests_service.notify.lifespan import notify_lifespan
from requests_service.webhooks.lifespan import webhooks_lifespan


@asynccontextmanager
async def requests_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Each package's hook, nested (filled in as the packages land)."""
    async with storage_lifespan(app), notify_lifespan(app), webhooks_lifespan(app):
        yield
