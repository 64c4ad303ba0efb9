"""Webhooks for API clients: subscriptions, the delivery outbox and its log.

ARCHITECTURE.md data flow 3: the outbox is drained by a worker in the process, with
retries and a delivery log; a crash between commit and send loses nothing. Payloads are
signed per the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`,
`webhook-signature`) and carry no personal data (DOMAIN.md 17).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from ppid_kit.models import CreatedAt, Timestamps, values_in
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field


class WebhookEventType(StrEnum):
    REQUEST_STATE_CHANGED = "request.state_changed"
    OBJECTION_FILED = "objection.filed"
    OBJECTION_STATE_CHANGED = "objection.state_changed"
    OBJECTION_DECIDED = "objection.decided"
    DISPUTE_UPDATED = "dispute.updated"
    DIP_ENTRY_PUBLISHED = "dip.entry_published"
    DIP_ENTRY_WITHDRAWN = "dip.entry_withdrawn"
    PING = "webhook.ping"


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    DELIVERED = "delivered"
    DEAD = "dead"  # attempts exhausted or the subscription disabled


class WebhookSubscription(Timestamps, table=True):
    """An API client's subscription: where to POST which events of which root.

    The signing secrets are AES-GCM ciphertexts (the service signs with them, so they
    cannot be one-way hashes); after a rotation the previous secret also signs until
    `previous_secret_expires_at`, so receivers can switch without losing events.
    """

    __tablename__ = "webhook_subscriptions"
    __table_args__ = (
        sa.CheckConstraint("cardinality(event_types) > 0", name="ck_webhook_subscriptions_events"),
        sa.Index("ix_webhook_subscriptions_client", "client_id"),
        sa.Index("ix_webhook_subscriptions_root", "root_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    client_id: str = Field(max_length=64, description="The API client (token `client_id`).")
    root_id: uuid.UUID = Field(description="The badan publik whose events it receives.")
    url: str = Field(max_length=2048)
    description: str | None = Field(default=None, max_length=255)
    event_types: list[str] = Field(sa_type=ARRAY(sa.String(64)))
    secret_ciphertext: bytes = Field(sa_type=sa.LargeBinary)
    secret_key_id: str = Field(max_length=64)
    previous_secret_ciphertext: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    previous_secret_key_id: str | None = Field(default=None, max_length=64)
    previous_secret_expires_at: datetime | None = Field(
        default=None, sa_type=sa.DateTime(timezone=True)
    )
    active: bool = Field(default=True)
    disabled_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    disabled_reason: str | None = Field(default=None, max_length=255)
    consecutive_failures: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class WebhookDelivery(CreatedAt, table=True):
    """One event for one subscription: the outbox row and the head of its delivery log.

    Written in the transaction of the change it reports; `message_id` is the
    `webhook-id` (the same on every retry, so receivers can deduplicate).
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.CheckConstraint(values_in("state", DeliveryState), name="ck_webhook_deliveries_state"),
        sa.Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
        sa.Index("ix_webhook_deliveries_subscription", "subscription_id", "created_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    subscription_id: uuid.UUID = Field(foreign_key="webhook_subscriptions.id", ondelete="CASCADE")
    message_id: str = Field(max_length=64)
    event_type: str = Field(max_length=64)
    payload: dict[str, Any] = Field(sa_type=JSONB)
    state: str = Field(max_length=16, default=DeliveryState.PENDING.value)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    last_attempt_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    last_status: int | None = Field(default=None)
    last_error: str | None = Field(default=None, max_length=255)
    delivered_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class WebhookAttempt(CreatedAt, table=True):
    """Every attempt of a delivery (the delivery log a client reads)."""

    __tablename__ = "webhook_attempts"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    delivery_id: uuid.UUID = Field(
        foreign_key="webhook_deliveries.id", ondelete="CASCADE", index=True
    )
    attempt: int
    status: int | None = Field(default=None, description="HTTP status; null: no response.")
    error: str | None = Field(default=None, max_length=255)
    duration_ms: int


class WebhookFeedCursor(Timestamps, table=True):
    """How far the registry's DIP change feed has been turned into webhook events."""

    __tablename__ = "webhook_feed_cursors"

    source: str = Field(primary_key=True, max_length=64)
    cursor: str | None = Field(default=None, max_length=255)
