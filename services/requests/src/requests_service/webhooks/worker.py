"""The delivery worker: POSTs due deliveries, signed, with retries (at least once).

A pass claims due deliveries with `FOR UPDATE SKIP LOCKED` and leases them (pushes
`next_attempt_at` past the send's timeout) in one short transaction, so replicas never
send the same delivery at once and no database connection is held while receivers
answer. Each answer is then settled in its own transaction. A crash between the POST
and the settling leaves the lease to expire: the same message (same `webhook-id`) is
sent again, which receivers deduplicate.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from ppid_kit.background import reraise_if_cancelled
from prometheus_client import CollectorRegistry, Counter
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from requests_service.settings import RequestsSettings
from requests_service.webhooks import secrets
from requests_service.webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from requests_service.webhooks.service import disable
from requests_service.webhooks.urls import UrlRefused, check_url

_log = logging.getLogger("requests_service.webhooks")
USER_AGENT = "Terbuka-Webhooks/1"
AUTO_DISABLED = "disabled after repeated failed deliveries"


class Metrics:
    """Counters by event type and outcome only (no URL or client: low cardinality)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.deliveries = Counter(
            "webhook_delivery_attempts_total",
            "Webhook delivery attempts by event type and outcome (delivered, retry, dead).",
            ["event_type", "outcome"],
            registry=registry,
        )
        self.disabled = Counter(
            "webhook_subscriptions_disabled_total",
            "Subscriptions disabled after repeated failed deliveries.",
            registry=registry,
        )


@dataclass(frozen=True)
class Claimed:
    """A leased delivery with what sending it needs (read inside the claiming transaction)."""

    delivery_id: uuid.UUID
    subscription_id: uuid.UUID
    message_id: str
    event_type: str
    attempt: int
    url: str
    body: bytes
    secrets: tuple[bytes, ...]


@dataclass(frozen=True)
class Result:
    status: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def backoff(attempts: int, settings: RequestsSettings) -> timedelta:
    """base·4^(n-1) after the n-th failure, at most the cap, less up to half (jitter, so a
    receiver coming back is not hit by every retry at once)."""
    full = min(
        settings.webhook_backoff_base_seconds * 4 ** max(attempts - 1, 0),
        settings.webhook_backoff_max_seconds,
    )
    return timedelta(seconds=full * random.uniform(0.5, 1.0))  # noqa: S311 - not a secret


def lease(settings: RequestsSettings) -> timedelta:
    """How long a claimed delivery is hidden from other passes: well past a send."""
    return timedelta(seconds=2 * settings.webhook_timeout_seconds + 30)


async def claim(engine: AsyncEngine, settings: RequestsSettings) -> list[Claimed]:
    """Lease up to `webhook_batch_size` due deliveries of active subscriptions."""
    now = datetime.now(UTC)
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        query = (
            sa.select(WebhookDelivery, WebhookSubscription)
            .join(
                WebhookSubscription, col(WebhookSubscription.id) == WebhookDelivery.subscription_id
            )
            .where(
                col(WebhookDelivery.state) == DeliveryState.PENDING.value,
                col(WebhookDelivery.next_attempt_at) <= now,
                col(WebhookSubscription.active).is_(True),
            )
            .order_by(col(WebhookDelivery.next_attempt_at))
            .limit(settings.webhook_batch_size)
            .with_for_update(skip_locked=True, of=WebhookDelivery)
        )
        claimed = []
        for delivery, subscription in (await session.execute(query)).tuples():
            delivery.next_attempt_at = now + lease(settings)
            try:
                keys = secrets.signing_secrets(subscription, settings.webhook_secret_keys, now)
            except (KeyError, ValueError, InvalidTag) as exc:
                # A sealing key missing from the settings: retried once the key is back.
                _log.error(
                    "webhook secret cannot be opened",
                    extra={"subscription_id": str(subscription.id), "error": type(exc).__name__},
                )
                continue
            claimed.append(
                Claimed(
                    delivery_id=delivery.id,
                    subscription_id=subscription.id,
                    message_id=delivery.message_id,
                    event_type=delivery.event_type,
                    attempt=delivery.attempts + 1,
                    url=subscription.url,
                    body=body_of(delivery),
                    secrets=tuple(keys),
                )
            )
        return claimed


def signed_headers(item: Claimed, timestamp: int) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": item.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": secrets.signature_header(
            item.message_id, timestamp, item.body, item.secrets
        ),
    }


async def send(client: httpx.AsyncClient, item: Claimed, settings: RequestsSettings) -> Result:
    """One POST; the receiver's body is never read into the log (only its status)."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        await check_url(item.url, allow_private=settings.webhook_allow_private_urls)
    except UrlRefused:
        return Result(None, "refused_address", took())
    headers = signed_headers(item, int(time.time()))
    try:
        response = await client.post(
            item.url,
            content=item.body,
            headers=headers,
            timeout=settings.webhook_timeout_seconds,
            follow_redirects=False,
        )
    except httpx.TimeoutException:
        return Result(None, "timeout", took())
    except httpx.HTTPError as exc:
        return Result(None, type(exc).__name__, took())
    return Result(response.status_code, None, took())


async def settle(
    engine: AsyncEngine,
    item: Claimed,
    result: Result,
    settings: RequestsSettings,
    metrics: Metrics | None,
) -> None:
    """Record the attempt and the delivery's next state; count the subscription's streak."""
    now = datetime.now(UTC)
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        delivery = await session.get(WebhookDelivery, item.delivery_id, with_for_update=True)
        if delivery is None or delivery.state != DeliveryState.PENDING.value:
            return  # deleted with its subscription, or disabled while we sent
        if delivery.attempts + 1 != item.attempt:
            return  # settled by another pass after our lease ran out
        session.add(
            WebhookAttempt(
                delivery_id=delivery.id,
                attempt=item.attempt,
                status=result.status,
                error=result.error,
                duration_ms=result.duration_ms,
            )
        )
        delivery.attempts = item.attempt
        delivery.last_attempt_at = now
        delivery.last_status = result.status
        delivery.last_error = result.error
        if result.ok:
            outcome = _delivered(delivery, now)
            await _reset_streak(session, item.subscription_id)
        else:
            outcome = _failed(delivery, now, settings)
            await session.flush()
            if await _count_failure(session, item.subscription_id, now, settings) and metrics:
                metrics.disabled.inc()
        if metrics is not None:
            metrics.deliveries.labels(item.event_type, outcome).inc()


def _delivered(delivery: WebhookDelivery, now: datetime) -> str:
    delivery.state = DeliveryState.DELIVERED.value
    delivery.delivered_at = now
    return "delivered"


def _failed(delivery: WebhookDelivery, now: datetime, settings: RequestsSettings) -> str:
    if delivery.attempts >= settings.webhook_max_attempts:
        delivery.state = DeliveryState.DEAD.value
        return "dead"
    delivery.next_attempt_at = now + backoff(delivery.attempts, settings)
    return "retry"


async def _reset_streak(session: AsyncSession, subscription_id: uuid.UUID) -> None:
    await session.execute(
        sa.update(WebhookSubscription)
        .where(
            col(WebhookSubscription.id) == subscription_id,
            col(WebhookSubscription.consecutive_failures) != 0,
        )
        .values(consecutive_failures=0)
    )


async def _count_failure(
    session: AsyncSession, subscription_id: uuid.UUID, now: datetime, settings: RequestsSettings
) -> bool:
    """One more failure in a row; disables the subscription (True) once the streak reaches
    `webhook_disable_after_failures` and nothing was delivered for
    `webhook_disable_after_seconds` (since its creation, if never)."""
    subscription = await session.get(WebhookSubscription, subscription_id, with_for_update=True)
    if subscription is None:
        return False
    subscription.consecutive_failures += 1
    if not subscription.active:
        return False
    if subscription.consecutive_failures < settings.webhook_disable_after_failures:
        return False
    last_success = await session.scalar(
        sa.select(sa.func.max(WebhookDelivery.delivered_at)).where(
            col(WebhookDelivery.subscription_id) == subscription_id
        )
    )
    since = max(last_success or subscription.created_at, subscription.created_at)
    if now - since < timedelta(seconds=settings.webhook_disable_after_seconds):
        return False
    dropped = await disable(session, subscription, AUTO_DISABLED)
    subscription.version += 1
    _log.warning(
        "webhook subscription disabled",
        extra={"subscription_id": str(subscription_id), "dropped_deliveries": dropped},
    )
    return True


async def deliver_once(
    engine: AsyncEngine,
    client: httpx.AsyncClient,
    settings: RequestsSettings,
    metrics: Metrics | None = None,
) -> int:
    """One pass: claim a batch, send it concurrently, settle each; returns how many."""
    claimed = await claim(engine, settings)
    if not claimed:
        return 0
    results = await asyncio.gather(*(send(client, item, settings) for item in claimed))
    for item, result in zip(claimed, results, strict=True):
        await settle(engine, item, result, settings, metrics)
    return len(claimed)


async def run_worker(
    engine: AsyncEngine, client: httpx.AsyncClient, settings: RequestsSettings, metrics: Metrics
) -> None:
    """Deliver forever; a full batch goes straight on, otherwise wait a poll interval."""
    while True:
        handled = 0
        try:
            handled = await deliver_once(engine, client, settings, metrics)
        except Exception as exc:  # the database went away mid-pass: try again next poll
            reraise_if_cancelled(exc)
            _log.warning("webhook pass failed", extra={"error": type(exc).__name__})
        if handled < settings.webhook_batch_size:
            await asyncio.sleep(settings.webhook_poll_seconds)
