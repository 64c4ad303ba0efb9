"""The DIP feed follower against a real registry process, and the worker's lease.

This module's app runs the follower but not the delivery worker (`webhook_poll_seconds=0`):
the tests drive the worker's own steps (`claim`, `send`, `settle`, `deliver_once`) to
play a replica that crashes between the POST and its commit. `test_webhooks.py` runs the
worker end to end.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from registry_service.models import DipEntry
from requests_service.settings import RequestsSettings
from requests_service.webhooks.feed import FeedUnavailable, follow_once
from requests_service.webhooks.worker import claim, deliver_once, send, settle
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.registry.feed.support import add_published, new_entry, withdraw
from tests.requests.harness import ROOT_ID, AuthStack, requests_settings, serve_requests
from tests.requests.webhooks.support import (
    Json,
    Receiver,
    client_headers,
    new_client_id,
    wait_until,
)
from tests.requests.workflow.registry import registry_fixtures
from tests.services.support import engine_for, execute, scalar
from tests.support.procs import Proc, free_port

BASE = "/v1/webhooks/subscriptions"


registry_database, registry = registry_fixtures("_for_webhooks")


async def publish(registry_database: str, number: str) -> DipEntry:
    async with engine_for(registry_database) as engine, AsyncSession(engine) as session:
        entry = await add_published(session, new_entry(number))
        await session.commit()
        await session.refresh(entry)
        return entry


async def withdraw_entry(registry_database: str, entry_id: uuid.UUID) -> None:
    async with engine_for(registry_database) as engine, AsyncSession(engine) as session:
        await withdraw(session, entry_id)
        await session.commit()


@pytest.fixture(scope="module")
async def before(registry_database: str) -> DipEntry:
    """An entry published before the follower's first start (its history: not sent)."""
    return await publish(registry_database, "DIP-WH-001")


@pytest.fixture(scope="module")
def settings(
    auth_stack: AuthStack,
    requests_database: str,
    registry: Proc,
    tmp_path_factory: pytest.TempPathFactory,
) -> RequestsSettings:
    return requests_settings(
        auth_stack,
        requests_database,
        Path(tmp_path_factory.mktemp("webhook-feed-objects")),
        registry_url=registry.url,
        webhook_allow_private_urls=True,
        webhook_poll_seconds=0,
        webhook_feed_interval_seconds=0.1,
    )


@pytest.fixture(scope="module")
async def api(settings: RequestsSettings, before: DipEntry) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_requests(settings) as client:
        yield client


@pytest.fixture(scope="module")
async def engine(requests_database: str) -> AsyncIterator[AsyncEngine]:
    async with engine_for(requests_database) as made:
        yield made


@pytest.fixture(scope="module")
async def sender() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as client:
        yield client


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


async def subscribe(
    api: httpx.AsyncClient, headers: dict[str, str], url: str, *events: str
) -> Json:
    body = {"url": url, "root_id": str(ROOT_ID), "event_types": list(events)}
    response = await api.post(BASE, json=body, headers=headers)
    assert response.status_code == 201, response.text
    made: Json = response.json()
    return made


async def test_published_and_withdrawn_entries_become_events(
    api: httpx.AsyncClient,
    auth_stack: AuthStack,
    settings: RequestsSettings,
    engine: AsyncEngine,
    sender: httpx.AsyncClient,
    receiver: Receiver,
    registry_database: str,
    requests_database: str,
    before: DipEntry,
) -> None:
    endpoint = receiver.endpoint("dip")
    events = ("dip.entry_published", "dip.entry_withdrawn")
    # Any client's subscription of the root: DIP events are public.
    client = client_headers(auth_stack.minter, new_client_id())
    made = await subscribe(api, client, receiver.url("dip"), *events)
    count = "SELECT count(*) FROM webhook_deliveries WHERE subscription_id = :id"

    async def started() -> bool:
        return (
            await scalar(requests_database, "SELECT cursor FROM webhook_feed_cursors") is not None
        )

    async def queued(n: int) -> bool:
        return int(await scalar(requests_database, count, id=made["id"])) >= n

    await wait_until(started)
    after = await publish(registry_database, "DIP-WH-002")
    await wait_until(lambda: queued(1))
    await withdraw_entry(registry_database, after.id)
    await wait_until(lambda: queued(2))
    assert await deliver_once(engine, sender, settings) == 2

    published, withdrawn = sorted((r.payload for r in endpoint.received), key=lambda p: p["type"])
    assert published["type"] == "dip.entry_published"
    assert published["data"]["entry_id"] == str(after.id)
    assert published["data"]["number"] == "DIP-WH-002"
    assert published["data"]["root_id"] == str(ROOT_ID)
    assert withdrawn["type"] == "dip.entry_withdrawn"
    assert withdrawn["data"]["entry_id"] == str(after.id)
    assert all(r.verifies_with(made["secret"]) for r in endpoint.received)
    assert str(before.id) not in {r.payload["data"]["entry_id"] for r in endpoint.received}
    assert len(endpoint.received) == 2
    assert int(await scalar(requests_database, count, id=made["id"])) == 2


async def test_a_crash_after_sending_sends_the_same_message_again(
    api: httpx.AsyncClient,
    auth_stack: AuthStack,
    settings: RequestsSettings,
    engine: AsyncEngine,
    sender: httpx.AsyncClient,
    receiver: Receiver,
    requests_database: str,
) -> None:
    endpoint = receiver.endpoint("crash")
    client = client_headers(auth_stack.minter, new_client_id())
    made = await subscribe(api, client, receiver.url("crash"), "dip.entry_published")
    ping = await api.post(f"{BASE}/{made['id']}/ping", headers=client)
    assert ping.status_code == 202

    [leased] = [
        c
        for c in await claim(engine, settings)
        if c.subscription_id.hex == made["id"].replace("-", "")
    ]
    assert [c for c in await claim(engine, settings) if c.delivery_id == leased.delivery_id] == []
    await send(sender, leased, settings)  # ... and the replica dies before `settle`
    await execute(
        requests_database,
        "UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = :id",
        id=leased.delivery_id,
    )  # its lease ran out
    [again] = await claim(engine, settings)
    assert again.delivery_id == leased.delivery_id
    assert again.attempt == leased.attempt == 1
    result = await send(sender, again, settings)
    await settle(engine, again, result, settings, None)
    await settle(engine, leased, result, settings, None)  # a late settle changes nothing

    assert [r.message_id for r in endpoint.received] == [ping.json()["message_id"]] * 2
    state, attempts = (
        await scalar(
            requests_database,
            "SELECT state FROM webhook_deliveries WHERE id = :id",
            id=leased.delivery_id,
        ),
        await scalar(
            requests_database,
            "SELECT count(*) FROM webhook_attempts WHERE delivery_id = :id",
            id=leased.delivery_id,
        ),
    )
    assert (state, attempts) == ("delivered", 1)


async def test_a_registry_that_is_down_changes_nothing(
    api: httpx.AsyncClient, auth_stack: AuthStack, requests_database: str, tmp_path: Path
) -> None:
    """One pass against a closed port: FeedUnavailable, the cursor and the outbox untouched
    (the running follower logs it once and polls again)."""
    down = requests_settings(
        auth_stack, requests_database, tmp_path, registry_url=f"http://127.0.0.1:{free_port()}"
    )
    sql = "SELECT cursor FROM webhook_feed_cursors"
    cursor = await scalar(requests_database, sql)
    queued = await scalar(requests_database, "SELECT count(*) FROM webhook_deliveries")
    async with engine_for(requests_database) as engine, httpx.AsyncClient() as client:
        with pytest.raises(FeedUnavailable):  # noqa: PT012 - the app's follower may hold the row
            for _ in range(200):  # 0 means the running follower held the cursor row: again
                assert await follow_once(engine, client, down) == 0
                await asyncio.sleep(0.01)
    assert await scalar(requests_database, sql) == cursor
    assert await scalar(requests_database, "SELECT count(*) FROM webhook_deliveries") == queued
