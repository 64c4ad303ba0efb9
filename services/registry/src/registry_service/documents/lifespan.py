"""The object store in the app's lifespan (`app.state.store`) and the periodic sweeper."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from ppid_kit.storage import sweep as kit

from registry_service.documents.sweep import sweep
from registry_service.settings import RegistrySettings


@asynccontextmanager
async def storage_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The kit's store and sweeper (storage down does not take the DIP down: reads need
    no object store, and uploads and downloads answer 503 until it is back)."""
    settings = app.state.settings
    assert isinstance(settings, RegistrySettings)
    async with kit.storage_lifespan(app, settings, sweep, name="registry-document-sweeper"):
        yield
