"""The webhooks' lifespan hook: the delivery worker and the DIP feed follower."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
from fastapi import FastAPI
from ppid_kit.background import in_background

from requests_service.settings import RequestsSettings
from requests_service.webhooks.feed import run_follower
from requests_service.webhooks.worker import Metrics, run_worker


@asynccontextmanager
async def webhooks_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Runs on every replica (both workers are safe side by side). Deliveries go through
    their own HTTP client: no redirects, no proxy from the environment, so a receiver
    cannot bounce the service's POSTs elsewhere."""
    settings = app.state.settings
    assert isinstance(settings, RequestsSettings)
    metrics = Metrics(app.state.metrics_registry)
    async with AsyncExitStack() as stack:
        client = await stack.enter_async_context(
            httpx.AsyncClient(follow_redirects=False, trust_env=False)
        )
        engine = app.state.engine
        if settings.webhook_poll_seconds > 0:
            worker = run_worker(engine, client, settings, metrics)
            await stack.enter_async_context(in_background(worker, name="webhook-deliveries"))
        if settings.webhook_feed_interval_seconds > 0:
            follower = run_follower(engine, client, settings)
            await stack.enter_async_context(in_background(follower, name="webhook-dip-feed"))
        yield
