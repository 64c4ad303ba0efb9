"""The notifications' lifespan hook: the outbox worker and the deadline reminders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from ppid_kit.background import in_background
from ppid_kit.outbox import outbox_lifespan

from requests_service.notify.config import NotifyConfig, bind_config
from requests_service.notify.reminders import run_reminders
from requests_service.settings import RequestsSettings


@asynccontextmanager
async def notify_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Binds the emails' config to the engine, runs the kit's outbox worker and, unless
    `reminder_interval_seconds` is 0, the reminders worker (on every replica: both are
    safe side by side)."""
    settings = app.state.settings
    assert isinstance(settings, RequestsSettings)
    bind_config(app.state.engine, NotifyConfig.from_settings(settings, app.state.unit_tree))
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(outbox_lifespan(app))
        if settings.reminder_interval_seconds > 0:
            worker = run_reminders(app.state.engine, settings, app.state.unit_tree)
            await stack.enter_async_context(in_background(worker, name="deadline-reminders"))
        yield
