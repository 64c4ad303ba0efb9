"""The object store in the app's lifespan (`app.state.store`) and the periodic sweeper."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from ppid_kit.background import in_background
from ppid_kit.storage import S3Store, make_store

from registry_service.documents.sweep import sweep_forever
from registry_service.settings import RegistrySettings

_log = logging.getLogger(__name__)


@asynccontextmanager
async def storage_lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = app.state.settings
    assert isinstance(settings, RegistrySettings)
    store = make_store(settings)
    if isinstance(store, S3Store):
        try:
            await store.ensure_bucket()
        except Exception as exc:
            # Storage down must not take the DIP down: reads need no object store, and
            # uploads and downloads answer 503 until it is back (and the bucket exists).
            _log.warning("object storage unreachable at startup: %s", type(exc).__name__)
    app.state.store = store
    if settings.sweep_interval_seconds <= 0:
        yield
        return
    sweeper = sweep_forever(
        store,
        app.state.engine,
        interval=settings.sweep_interval_seconds,
        grace=timedelta(seconds=settings.sweep_grace_seconds),
    )
    async with in_background(sweeper, name="registry-document-sweeper"):
        yield
