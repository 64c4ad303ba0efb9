"""Queue webhook events in the transaction of the change they report (the outbox).

Who receives what (DOMAIN.md 17: no personal data in any payload):
- request and objection events go only to the subscriptions of the API client the
  request or objection came through (`client_id`; the `requests:track` promise: a
  client follows what it submitted, never other people's requests);
- DIP events (public information) go to every subscription of the root.
A subscription receives only the event types it chose, and only while active.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.webhooks.models import (
    DeliveryState,
    WebhookDelivery,
    WebhookEventType,
    WebhookSubscription,
)

PUBLIC_EVENT_TYPES = frozenset(
    {WebhookEventType.DIP_ENTRY_PUBLISHED, WebhookEventType.DIP_ENTRY_WITHDRAWN}
)


def message_id() -> str:
    """A `webhook-id`: unique per event and subscription, stable across retries."""
    return f"msg_{uuid.uuid4().hex}"


async def emit_event(
    session: AsyncSession,
    *,
    event_type: WebhookEventType,
    root_id: uuid.UUID,
    client_id: str | None,
    data: dict[str, Any],
    occurred_at: datetime | None = None,
) -> int:
    """Queue `event_type` for every matching subscription; returns how many were queued.

    `data` must hold no personal data. The Standard Webhooks payload shape is
    `{"type", "timestamp", "data"}`; the delivery worker signs it when sending.
    """
    if event_type not in PUBLIC_EVENT_TYPES and client_id is None:
        return 0
    query = sa.select(col(WebhookSubscription.id)).where(
        col(WebhookSubscription.root_id) == root_id,
        col(WebhookSubscription.active).is_(True),
        col(WebhookSubscription.event_types).any_() == event_type.value,
    )
    if event_type not in PUBLIC_EVENT_TYPES:
        query = query.where(col(WebhookSubscription.client_id) == client_id)
    subscriptions = (await session.execute(query)).scalars().all()
    if not subscriptions:
        return 0
    now = occurred_at or datetime.now(UTC)
    payload = {
        "type": event_type.value,
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    session.add_all(
        WebhookDelivery(
            subscription_id=subscription_id,
            message_id=message_id(),
            event_type=event_type.value,
            payload=payload,
            state=DeliveryState.PENDING.value,
            next_attempt_at=now,
        )
        for subscription_id in subscriptions
    )
    await session.flush()
    return len(subscriptions)
