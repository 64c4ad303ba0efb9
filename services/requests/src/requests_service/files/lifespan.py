"""The private store in the app's lifespan (`app.state.store`) and the periodic sweeper."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from ppid_kit.background import in_background
from ppid_kit.storage import S3Store, make_store

from requests_service.files.removal import settle_removals
from requests_service.files.sweep import sweep_forever
from requests_service.settings import RequestsSettings

_log = logging.getLogger(__name__)


@asynccontextmanager
async def storage_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """`app.state.store` (local folder or S3 bucket) and, unless `sweep_interval_seconds`
    is 0, the sweeper on every replica (two passes side by side are harmless)."""
    settings = app.state.settings
    assert isinstance(settings, RequestsSettings)
    store = make_store(settings)
    if isinstance(store, S3Store):
        try:
            await store.ensure_bucket()
        except Exception as exc:
            # Storage down must not take requests down: only uploads and downloads need
            # it, and they answer 503 until it is back (and the bucket exists).
            _log.warning("object storage unreachable at startup: %s", type(exc).__name__)
    app.state.store = store
    try:
        if settings.sweep_interval_seconds <= 0:
            yield
            return
        sweeper = sweep_forever(
            store,
            app.state.engine,
            interval=settings.sweep_interval_seconds,
            grace=timedelta(seconds=settings.sweep_grace_seconds),
        )
        async with in_background(sweeper, name="request-files-sweeper"):
            yield
    finally:
        await settle_removals()  # objects released by the last commits; else the sweeper's
