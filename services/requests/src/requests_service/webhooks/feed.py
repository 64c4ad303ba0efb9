"""Follows the registry's DIP change feed and turns it into public webhook events.

Each poll reads `GET {registry_url}/v1/dip/changes` from the stored cursor: an `upsert`
(the entry as the public DIP now shows it) becomes `dip.entry_published`, a `tombstone`
`dip.entry_withdrawn`, for the entry's root. The events and the new cursor are written in
one transaction, so each change enters the outbox exactly once; the cursor row is locked
(`SKIP LOCKED`), so with several replicas one follows at a time. On the first start (no
cursor row) the follower skips to the feed's end without emitting history.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime
from typing import Any

import httpx
import sqlalchemy as sa
from ppid_kit.background import reraise_if_cancelled
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from requests_service.settings import RequestsSettings
from requests_service.webhooks.emit import emit_event
from requests_service.webhooks.models import WebhookEventType, WebhookFeedCursor

_log = logging.getLogger("requests_service.webhooks.feed")
SOURCE = "registry:dip"
PAGE_LIMIT = 200
PAGES_PER_POLL = 20  # a long backlog still commits every 4000 changes


class FeedUnavailable(Exception):
    """The registry did not answer with a page (down, 5xx, a body that is no page)."""


class CursorRefused(FeedUnavailable):
    """The registry no longer knows our cursor (its log was rebuilt): start at its end."""


def published_data(item: dict[str, Any]) -> dict[str, Any]:
    """What a receiver needs to fetch the entry (public information, nothing about persons:
    the `responsible_official` field is left out)."""
    entry = item.get("entry") or {}
    return {
        "seq": item["seq"],
        "entry_id": item["entry_id"],
        "root_id": item["root_id"],
        "unit_id": entry.get("unit_id"),
        "number": entry.get("number"),
        "title": entry.get("title"),
        "category": entry.get("category"),
        "published_at": entry.get("published_at"),
        "updated_at": entry.get("updated_at"),
    }


def withdrawn_data(item: dict[str, Any]) -> dict[str, Any]:
    return {"seq": item["seq"], "entry_id": item["entry_id"], "root_id": item["root_id"]}


async def fetch_page(
    client: httpx.AsyncClient, settings: RequestsSettings, cursor: str | None
) -> dict[str, Any]:
    params: dict[str, str | int] = {"limit": PAGE_LIMIT}
    if cursor is not None:
        params["cursor"] = cursor
    url = f"{settings.registry_url.rstrip('/')}/v1/dip/changes"
    try:
        response = await client.get(url, params=params, timeout=settings.registry_timeout_seconds)
    except httpx.HTTPError as exc:
        raise FeedUnavailable(type(exc).__name__) from exc
    if response.status_code == 400 and cursor is not None:
        raise CursorRefused("status 400")
    if response.status_code != 200:
        raise FeedUnavailable(f"status {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise FeedUnavailable("not a page") from exc
    if not isinstance(body, dict) or not isinstance(body.get("next_cursor"), str):
        raise FeedUnavailable("not a page")
    return body


async def _emit(session: AsyncSession, item: dict[str, Any]) -> int:
    tombstone = item["kind"] == "tombstone"
    return await emit_event(
        session,
        event_type=(
            WebhookEventType.DIP_ENTRY_WITHDRAWN
            if tombstone
            else WebhookEventType.DIP_ENTRY_PUBLISHED
        ),
        root_id=uuid.UUID(item["root_id"]),
        client_id=None,
        data=withdrawn_data(item) if tombstone else published_data(item),
        occurred_at=datetime.fromisoformat(item["committed_at"]),
    )


async def _locked_cursor(session: AsyncSession) -> tuple[WebhookFeedCursor | None, bool]:
    """The cursor row locked for this pass (None: another replica follows now), and whether
    it was just created (the first start)."""
    created = await session.execute(
        insert(WebhookFeedCursor)
        .values(source=SOURCE, cursor=None)
        .on_conflict_do_nothing()
        .returning(col(WebhookFeedCursor.source))
    )
    first = created.first() is not None
    row = (
        await session.execute(
            sa.select(WebhookFeedCursor)
            .where(col(WebhookFeedCursor.source) == SOURCE)
            .with_for_update(skip_locked=True)
        )
    ).scalar_one_or_none()
    return row, first


async def follow_once(
    engine: AsyncEngine, client: httpx.AsyncClient, settings: RequestsSettings
) -> int:
    """One poll: follow the feed up to its end (or `PAGES_PER_POLL` pages); returns how
    many changes were turned into events. FeedUnavailable rolls the pass back."""
    emitted = 0
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        row, first = await _locked_cursor(session)
        if row is None:
            return 0
        pages = 0
        # The first start reads to the end in one go: a later pass would emit the rest.
        while first or pages < PAGES_PER_POLL:
            pages += 1
            try:
                page = await fetch_page(client, settings, row.cursor)
            except CursorRefused:
                _log.warning("registry refused the feed cursor; following from its end")
                row.cursor, first = None, True
                continue
            items: list[dict[str, Any]] = page.get("items", [])
            if not first:
                for item in items:
                    await _emit(session, item)
                emitted += len(items)
            row.cursor = page["next_cursor"]
            if len(items) < PAGE_LIMIT:
                break
        if first:
            _log.info("webhook feed follower started at the feed's end")
    return emitted


async def run_follower(
    engine: AsyncEngine, client: httpx.AsyncClient, settings: RequestsSettings
) -> None:
    """Poll every `webhook_feed_interval_seconds` (the first poll after one interval, so a
    replica starting up does not wait on the registry); an outage is logged once."""
    down = False
    while True:
        await asyncio.sleep(settings.webhook_feed_interval_seconds)
        try:
            await follow_once(engine, client, settings)
            if down:
                _log.info("registry change feed reachable again")
            down = False
        except FeedUnavailable as exc:
            if not down:
                _log.warning("registry change feed unavailable", extra={"error": str(exc)})
            down = True
        except Exception as exc:  # the database went away: try again next interval
            reraise_if_cancelled(exc)
            _log.warning("webhook feed pass failed", extra={"error": type(exc).__name__})
