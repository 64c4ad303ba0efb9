"""`GET /v1/dip/changes`: commit order, exactly once, under concurrent writers."""

from __future__ import annotations

import asyncio
import random
import uuid

import httpx
from ppid_kit.cursor import CursorCodec
from registry_service.models import DipEntry, DipStatus
from registry_service.public import record_public_change
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.registry.feed.support import (
    OTHER_ROOT,
    Json,
    add_published,
    current_public_dip,
    last_seq,
    new_document,
    new_entry,
    withdraw,
)
from tests.registry.harness import ROOT_ID
from tests.services.support import CURSOR_SECRET, engine_for, next_url, tamper

WRITERS, TRANSACTIONS, SHARED = 6, 40, 12
PROBLEM = "application/problem+json"


async def _write_once(
    session: AsyncSession,
    rng: random.Random,
    writer: int,
    step: int,
    own: list[uuid.UUID],
    shared: list[uuid.UUID],
) -> None:
    """One transaction of a writer: publish, edit, withdraw, republish or attach a document."""
    if not own or rng.random() < 0.25:
        root = ROOT_ID if rng.random() < 0.7 else OTHER_ROOT
        entry = new_entry(f"W{writer}-{step}", root_id=root, published=rng.random() < 0.8)
        session.add(entry)
        await session.flush()
        await asyncio.sleep(rng.uniform(0, 0.004))
        own.append(entry.id)
        if entry.status == DipStatus.PUBLISHED:
            await record_public_change(session, entry)
        return
    pool = shared + own
    count = 2 if rng.random() < 0.15 else 1
    targets = sorted(set(rng.sample(pool, min(count, len(pool)))))  # one lock order: no deadlock
    changed: list[DipEntry] = []
    for target in targets:
        locked = await session.get(DipEntry, target, with_for_update=True)
        assert locked is not None
        entry = locked
        was_public = entry.status == DipStatus.PUBLISHED
        roll = rng.random()
        if roll < 0.4:
            entry.title = f"Judul {writer}-{step} {rng.random():.6f}"
        elif roll < 0.6 and was_public:
            entry.status = DipStatus.WITHDRAWN
        elif roll < 0.8 and not was_public:
            entry.status = DipStatus.PUBLISHED
            entry.published_at = entry.published_at or entry.created_at
        elif was_public:
            session.add(new_document(entry.id, f"lampiran-{writer}-{step}.pdf"))
        else:
            entry.summary = f"Draf {writer}-{step}"  # not public: no change to record
        await session.flush()
        if was_public or entry.status == DipStatus.PUBLISHED:
            changed.append(entry)
        await asyncio.sleep(rng.uniform(0, 0.004))
    for entry in changed:  # last in the transaction, as the writers do
        await record_public_change(session, entry)
    await asyncio.sleep(rng.uniform(0, 0.002))  # commit later, holding the counter lock


async def _writer(engine: AsyncEngine, writer: int, shared: list[uuid.UUID]) -> None:
    rng = random.Random(1000 + writer)
    own: list[uuid.UUID] = []
    for step in range(TRANSACTIONS):
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            await _write_once(session, rng, writer, step, own, shared)
        await asyncio.sleep(rng.uniform(0, 0.003))


async def _follow(
    registry: httpx.AsyncClient, writers_done: asyncio.Event
) -> tuple[list[int], dict[str, Json]]:
    """Poll like an aggregator until the writers are done and a poll comes back empty."""
    rng = random.Random(7)
    cursor: str | None = None
    seen: list[int] = []
    state: dict[str, Json] = {}
    while True:
        finished = writers_done.is_set()  # before the request: an empty page then means the end
        params: dict[str, str | int] = {"limit": rng.choice([1, 3, 10, 50, 200])}
        if cursor is not None:
            params["cursor"] = cursor
        response = await registry.get("/v1/dip/changes", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["next_cursor"], "next_cursor is always set"
        assert next_url(response) is not None
        for item in body["items"]:
            seen.append(item["seq"])
            if item["kind"] == "upsert":
                assert item["entry"]["id"] == item["entry_id"]
                state[item["entry_id"]] = item["entry"]
            else:
                assert item["entry"] is None
                state.pop(item["entry_id"], None)
        cursor = body["next_cursor"]
        if not body["items"]:
            if finished:
                return seen, state
            await asyncio.sleep(0.005)


async def test_a_poller_sees_every_change_once_in_commit_order_under_concurrent_writers(
    registry: httpx.AsyncClient, registry_database: str
) -> None:
    async with engine_for(registry_database, pool_size=WRITERS + 2) as engine:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            shared = [(await add_published(session, new_entry(f"S-{n}"))).id for n in range(SHARED)]
        writers_done = asyncio.Event()
        reader = asyncio.create_task(_follow(registry, writers_done))
        await asyncio.gather(*(_writer(engine, w, shared) for w in range(WRITERS)))
        writers_done.set()
        seen, state = await asyncio.wait_for(reader, timeout=120)

        total = await last_seq(engine)
        assert total > WRITERS * TRANSACTIONS // 2
        assert seen == list(range(1, total + 1)), "gap-free, each once, in order"
        expected = await current_public_dip(engine)
    assert state.keys() == expected.keys()
    assert state == expected


async def test_pages_cursors_and_caching(registry: httpx.AsyncClient) -> None:
    first = await registry.get("/v1/dip/changes", params={"limit": 2})
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=3600"  # a full page never changes
    assert next_url(first) is not None
    again = await registry.get(
        "/v1/dip/changes", params={"limit": 2}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304

    # Following to the end: the tail page is short-lived and keeps its position when empty.
    cursor = first.json()["next_cursor"]
    while True:
        page = await registry.get("/v1/dip/changes", params={"limit": 200, "cursor": cursor})
        body = page.json()
        if not body["items"]:
            break
        cursor = body["next_cursor"]
    assert page.headers["cache-control"] == "public, max-age=5"
    assert body["next_cursor"] == cursor
    assert next_url(page) == f"/v1/dip/changes?limit=200&cursor={cursor}"


async def test_root_filter(registry: httpx.AsyncClient) -> None:
    response = await registry.get("/v1/dip/changes", params={"root": str(OTHER_ROOT), "limit": 200})
    items = response.json()["items"]
    assert items
    assert {item["root_id"] for item in items} == {str(OTHER_ROOT)}
    seqs = [item["seq"] for item in items]
    assert seqs == sorted(seqs)


async def test_invalid_cursors_are_400_problems(
    registry: httpx.AsyncClient, registry_database: str
) -> None:
    codec = CursorCodec(CURSOR_SECRET)
    good = (await registry.get("/v1/dip/changes", params={"limit": 1})).json()["next_cursor"]
    async with engine_for(registry_database) as engine:
        ahead = codec.encode({"after_seq": await last_seq(engine) + 10})
    for cursor in (
        "garbage",
        tamper(good),
        codec.encode({"updated_at": "2025-01-01T00:00:00+00:00", "id": str(uuid.uuid4())}),
        codec.encode({"after_seq": "3"}),
        codec.encode({"after_seq": -1}),
        ahead,
    ):
        response = await registry.get("/v1/dip/changes", params={"cursor": cursor})
        assert response.status_code == 400, cursor
        assert response.headers["content-type"].startswith(PROBLEM)
        assert response.json()["type"].endswith("/problems/invalid-cursor")


async def test_a_withdrawal_is_a_tombstone(
    registry: httpx.AsyncClient, registry_database: str
) -> None:
    async with engine_for(registry_database) as engine:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            entry = await add_published(session, new_entry("T-1"))
        before = await last_seq(engine)
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            await withdraw(session, entry.id)
    codec = CursorCodec(CURSOR_SECRET)
    response = await registry.get(
        "/v1/dip/changes", params={"cursor": codec.encode({"after_seq": before})}
    )
    [item] = response.json()["items"]
    assert item["seq"] == before + 1
    assert (item["kind"], item["entry_id"], item["entry"]) == ("tombstone", str(entry.id), None)
