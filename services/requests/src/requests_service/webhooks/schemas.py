"""Bodies and views of the webhooks API (no secret in any view but the one-time answers)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ppid_kit.models import PublicModel
from pydantic import BaseModel, ConfigDict, Field

from requests_service.webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEventType,
    WebhookSubscription,
)

# What a subscription may choose: every event but the ping (sent on demand only).
SUBSCRIBABLE = tuple(t for t in WebhookEventType if t is not WebhookEventType.PING)
EventTypes = list[WebhookEventType]


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2048, description="`https` URL receiving the POSTs.")
    root_id: uuid.UUID = Field(description="The badan publik (a root unit) whose events to get.")
    event_types: EventTypes = Field(
        min_length=1, description="Any of the types but `webhook.ping`."
    )
    description: str | None = Field(default=None, max_length=255)


class SubscriptionPatch(BaseModel):
    """Only the fields sent change; `active: true` re-enables (and resets the failure count)."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2048)
    event_types: EventTypes | None = Field(default=None, min_length=1)
    description: str | None = Field(default=None, max_length=255)
    active: bool | None = None


class SubscriptionView(PublicModel):
    id: uuid.UUID
    url: str
    root_id: uuid.UUID
    event_types: list[str]
    description: str | None
    active: bool
    disabled_at: datetime | None
    disabled_reason: str | None
    consecutive_failures: int = Field(description="Failed attempts in a row (0 after a success).")
    previous_secret_expires_at: datetime | None = Field(
        description="Until when the secret before the last rotation also signs."
    )
    created_at: datetime
    updated_at: datetime


class SubscriptionWithSecret(SubscriptionView):
    secret: str | None = Field(
        description="`whsec_…`, shown only in this answer (null when an `Idempotency-Key` "
        "retry replays it: the secret is not kept in clear)."
    )


class AttemptView(PublicModel):
    attempt: int
    status: int | None = Field(description="The receiver's HTTP status; null: no response.")
    error: str | None = Field(description="Why it failed without a status (error class).")
    duration_ms: int
    created_at: datetime


class DeliveryView(PublicModel):
    id: uuid.UUID
    subscription_id: uuid.UUID
    message_id: str = Field(description="The `webhook-id` (the same on every retry).")
    event_type: str
    state: DeliveryState
    attempts: int
    next_attempt_at: datetime | None = Field(description="Null once delivered or dead.")
    last_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


class DeliveryDetail(DeliveryView):
    payload: dict[str, Any] = Field(description="The JSON body sent.")
    attempt_log: list[AttemptView]


def subscription_view(subscription: WebhookSubscription) -> SubscriptionView:
    return SubscriptionView.model_validate(subscription, from_attributes=True)


def delivery_view(delivery: WebhookDelivery) -> DeliveryView:
    view = DeliveryView.model_validate(delivery, from_attributes=True)
    if delivery.state != DeliveryState.PENDING.value:
        view.next_attempt_at = None
    return view


def delivery_detail(delivery: WebhookDelivery, attempts: list[WebhookAttempt]) -> DeliveryDetail:
    base = delivery_view(delivery).model_dump()
    return DeliveryDetail(
        **base,
        payload=delivery.payload,
        attempt_log=[AttemptView.model_validate(a, from_attributes=True) for a in attempts],
    )
