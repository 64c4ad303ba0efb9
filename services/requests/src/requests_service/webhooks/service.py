"""The subscriptions' rules: who may manage them, what a valid one is, and each change.

Every check happens before anything changes; every change is audited (never a secret
or a URL's query in `details`: only ids, event types and flags).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from ppid_kit.audit import write_audit
from ppid_kit.problems import (
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION,
    FieldError,
    ProblemError,
    Text,
)
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.settings import RequestsSettings
from requests_service.webhooks import secrets
from requests_service.webhooks.emit import message_id
from requests_service.webhooks.models import (
    DeliveryState,
    WebhookDelivery,
    WebhookEventType,
    WebhookSubscription,
)
from requests_service.webhooks.schemas import SubscriptionCreate, SubscriptionPatch
from requests_service.webhooks.urls import UrlRefused, check_url

MANAGE_SCOPE = "webhooks:manage"

NOT_A_MANAGER = Text(
    "Hanya klien API dengan cakupan webhooks:manage yang dapat mengelola webhook.",
    "Only API clients with the webhooks:manage scope can manage webhooks.",
)
SUBSCRIPTION_NOT_FOUND = Text(
    "Langganan webhook tidak ditemukan.", "Webhook subscription not found."
)
DELIVERY_NOT_FOUND = Text("Pengiriman webhook tidak ditemukan.", "Webhook delivery not found.")
NOT_A_ROOT = Text(
    "Harus unit induk (badan publik) yang dikenal.", "Must be a known root unit (badan publik)."
)
PING_NOT_SUBSCRIBABLE = Text(
    "webhook.ping tidak dapat dilanggan; kirim lewat …/ping.",
    "webhook.ping cannot be subscribed to; send one with …/ping.",
)
INACTIVE = Text(
    "Langganan tidak aktif; aktifkan kembali dengan PATCH active: true.",
    "The subscription is disabled; re-enable it with PATCH active: true.",
)
STILL_PENDING = Text(
    "Pengiriman ini masih menunggu percobaan berikutnya.",
    "This delivery is still waiting for its next attempt.",
)
DISABLED_BY_CLIENT = "disabled by the client"


def require_manager(claims: Claims) -> str:
    """The caller's client id: an API client token with `webhooks:manage`, else 403."""
    scopes = (claims.scope or "").split()
    if claims.typ != "client" or not claims.client_id or MANAGE_SCOPE not in scopes:
        raise ProblemError(FORBIDDEN, NOT_A_MANAGER)
    return claims.client_id


async def owned_subscription(
    session: AsyncSession, client_id: str, subscription_id: uuid.UUID, *, for_update: bool = False
) -> WebhookSubscription:
    """The client's own subscription; 404 for a missing one and for another client's."""
    query = sa.select(WebhookSubscription).where(
        col(WebhookSubscription.id) == subscription_id,
        col(WebhookSubscription.client_id) == client_id,
    )
    if for_update:
        query = query.with_for_update()
    found = (await session.execute(query)).scalar_one_or_none()
    if found is None:
        raise ProblemError(NOT_FOUND, SUBSCRIPTION_NOT_FOUND)
    return found


async def subscription_delivery(
    session: AsyncSession, subscription: WebhookSubscription, delivery_id: uuid.UUID
) -> WebhookDelivery:
    delivery = await session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription.id:
        raise ProblemError(NOT_FOUND, DELIVERY_NOT_FOUND)
    return delivery


async def _url_errors(url: str | None, settings: RequestsSettings) -> list[FieldError]:
    if url is None:
        return []
    try:
        await check_url(url, allow_private=settings.webhook_allow_private_urls)
    except UrlRefused as refused:
        return [FieldError("url", refused.text)]
    return []


def _event_errors(event_types: list[WebhookEventType] | None) -> list[FieldError]:
    if event_types is not None and WebhookEventType.PING in event_types:
        return [FieldError("event_types", PING_NOT_SUBSCRIBABLE)]
    return []


def _chosen(event_types: list[WebhookEventType]) -> list[str]:
    """The event types without repeats, in the order given."""
    return list(dict.fromkeys(t.value for t in event_types))


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ProblemError(VALIDATION, errors=errors)


async def _audit(
    session: AsyncSession,
    action: str,
    subscription: WebhookSubscription,
    details: dict[str, Any] | None = None,
) -> None:
    await write_audit(
        session,
        action=f"webhook_subscription.{action}",
        object_type="webhook_subscription",
        object_id=subscription.id,
        actor_id=subscription.client_id,
        actor_type="client",
        unit_id=subscription.root_id,
        details=details,
    )


async def create_subscription(
    session: AsyncSession,
    client_id: str,
    body: SubscriptionCreate,
    tree: UnitTree,
    settings: RequestsSettings,
) -> tuple[WebhookSubscription, bytes]:
    """A new active subscription and its signing secret (to be shown once)."""
    errors = _event_errors(body.event_types) + await _url_errors(body.url, settings)
    if body.root_id not in tree or tree.root_of(body.root_id) != body.root_id:
        errors.append(FieldError("root_id", NOT_A_ROOT))
    _raise_if(errors)
    secret = secrets.new_secret()
    blob, key_id = secrets.sealed(secret, settings)
    subscription = WebhookSubscription(
        client_id=client_id,
        root_id=body.root_id,
        url=body.url,
        description=body.description,
        event_types=_chosen(body.event_types),
        secret_ciphertext=blob,
        secret_key_id=key_id,
    )
    session.add(subscription)
    await session.flush()
    await _audit(session, "create", subscription, {"event_types": subscription.event_types})
    return subscription, secret


async def update_subscription(
    session: AsyncSession,
    subscription: WebhookSubscription,
    body: SubscriptionPatch,
    settings: RequestsSettings,
) -> None:
    """Apply the fields sent. Re-enabling clears the disabled state and the failure count;
    disabling gives up the pending deliveries (as an automatic disable does)."""
    _raise_if(_event_errors(body.event_types) + await _url_errors(body.url, settings))
    changed = sorted(body.model_fields_set)
    if body.url is not None:
        subscription.url = body.url
    if body.event_types is not None:
        subscription.event_types = _chosen(body.event_types)
    if "description" in body.model_fields_set:
        subscription.description = body.description
    if body.active is True and not subscription.active:
        subscription.active = True
        subscription.disabled_at = None
        subscription.disabled_reason = None
        subscription.consecutive_failures = 0
    elif body.active is False and subscription.active:
        await disable(session, subscription, DISABLED_BY_CLIENT)
    subscription.version += 1
    await _audit(session, "update", subscription, {"fields": changed})


async def disable(session: AsyncSession, subscription: WebhookSubscription, reason: str) -> int:
    """Inactive from now; its pending deliveries become dead. Returns how many."""
    subscription.active = False
    subscription.disabled_at = datetime.now(UTC)
    subscription.disabled_reason = reason
    result = await session.execute(
        sa.update(WebhookDelivery)
        .where(
            col(WebhookDelivery.subscription_id) == subscription.id,
            col(WebhookDelivery.state) == DeliveryState.PENDING.value,
        )
        .values(state=DeliveryState.DEAD.value, last_error="subscription disabled")
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def delete_subscription(session: AsyncSession, subscription: WebhookSubscription) -> None:
    """Gone with its delivery log (the audit log keeps that it existed)."""
    await _audit(session, "delete", subscription)
    await session.delete(subscription)
    await session.flush()


async def rotate_secret(
    session: AsyncSession, subscription: WebhookSubscription, settings: RequestsSettings
) -> bytes:
    """A new current secret; the old one keeps signing for the overlap (both signatures
    are sent), so the receiver can switch without losing a message."""
    now = datetime.now(UTC)
    overlap = settings.webhook_secret_overlap_seconds
    if overlap > 0:
        subscription.previous_secret_ciphertext = subscription.secret_ciphertext
        subscription.previous_secret_key_id = subscription.secret_key_id
        subscription.previous_secret_expires_at = now + timedelta(seconds=overlap)
    else:
        subscription.previous_secret_ciphertext = None
        subscription.previous_secret_key_id = None
        subscription.previous_secret_expires_at = None
    secret = secrets.new_secret()
    subscription.secret_ciphertext, subscription.secret_key_id = secrets.sealed(secret, settings)
    subscription.version += 1
    await _audit(session, "rotate_secret", subscription, {"overlap_seconds": overlap})
    return secret


def _require_active(subscription: WebhookSubscription) -> None:
    if not subscription.active:
        raise ProblemError(CONFLICT, INACTIVE)


async def queue_ping(session: AsyncSession, subscription: WebhookSubscription) -> WebhookDelivery:
    """A `webhook.ping` for this subscription alone (to test the receiver)."""
    _require_active(subscription)
    now = datetime.now(UTC)
    payload = {
        "type": WebhookEventType.PING.value,
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "data": {"subscription_id": str(subscription.id)},
    }
    delivery = WebhookDelivery(
        subscription_id=subscription.id,
        message_id=message_id(),
        event_type=WebhookEventType.PING.value,
        payload=payload,
        next_attempt_at=now,
    )
    session.add(delivery)
    await session.flush()
    await _audit(session, "ping", subscription, {"delivery_id": str(delivery.id)})
    return delivery


async def redeliver(
    session: AsyncSession, subscription: WebhookSubscription, original: WebhookDelivery
) -> WebhookDelivery:
    """A new delivery of the same message (same `webhook-id` and body, so a receiver that
    already has it can tell), with a fresh retry schedule."""
    _require_active(subscription)
    if original.state == DeliveryState.PENDING.value:
        raise ProblemError(CONFLICT, STILL_PENDING)
    delivery = WebhookDelivery(
        subscription_id=subscription.id,
        message_id=original.message_id,
        event_type=original.event_type,
        payload=original.payload,
        next_attempt_at=datetime.now(UTC),
    )
    session.add(delivery)
    await session.flush()
    details = {"delivery_id": str(delivery.id), "original_delivery_id": str(original.id)}
    await _audit(session, "redeliver", subscription, details)
    return delivery
