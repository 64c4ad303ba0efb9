"""The private store in the app's lifespan (`app.state.store`) and the periodic sweeper."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from ppid_kit.storage import sweep as kit

from requests_service.files.removal import settle_removals
from requests_service.files.sweep import sweep
from requests_service.settings import RequestsSettings


@asynccontextmanager
async def storage_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The kit's store and sweeper; on the way out, after the sweeper stops, the
    removals the last commits scheduled."""
    settings = app.state.settings
    assert isinstance(settings, RequestsSettings)
    try:
        async with kit.storage_lifespan(app, settings, sweep, name="request-files-sweeper"):
            yield
    finally:
        await settle_removals()  # objects released by the last commits; else the sweeper's
