"""`/v1/webhooks/subscriptions…`: an API client's webhook subscriptions and delivery log.

Only API client tokens with the `webhooks:manage` scope (403 for anyone else with a
token); a client sees and manages only its own subscriptions (404 for others'). The
answers are private to the client (`Cache-Control: private, no-cache`).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request, Response
from ppid_kit import idempotency
from ppid_kit.cursor import Page
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_etag, json_with_etag, require_if_match
from ppid_kit.paging import ITEM_RESPONSES, LIST_RESPONSES, Keyset, PagingDep, keyset_page
from ppid_kit.problems import problem_responses
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.core.views import page_response
from requests_service.intake.deps import SettingsDep
from requests_service.webhooks import secrets, service
from requests_service.webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from requests_service.webhooks.schemas import (
    DeliveryDetail,
    DeliveryView,
    SubscriptionCreate,
    SubscriptionPatch,
    SubscriptionView,
    SubscriptionWithSecret,
    delivery_detail,
    delivery_view,
    subscription_view,
)

router = APIRouter(prefix="/v1/webhooks/subscriptions", tags=["webhooks"])

PRIVATE = "private, no-cache"
SubscriptionId = Annotated[uuid.UUID, Path(description="The subscription's id.")]
DeliveryId = Annotated[uuid.UUID, Path(description="The delivery's id.")]
StateFilter = Annotated[DeliveryState | None, Query(description="Only deliveries in this state.")]
WHO = " For API clients with the `webhooks:manage` scope, on their own subscriptions."
_SUBSCRIPTIONS = Keyset(WebhookSubscription, "created_at", "id")
_DELIVERIES = Keyset(WebhookDelivery, "created_at", "id", descending=True)
_NO_STORE = {"Cache-Control": "no-store"}
WRITE_RESPONSES = problem_responses(401, 403, 404, 409, 412, 422)


def _page(request: Request, items: list[BaseModel], next_cursor: str | None) -> Response:
    return page_response(request, items, next_cursor, cache_control=PRIVATE)


def _subscription_etag(subscription: WebhookSubscription) -> str:
    return json_etag(subscription_view(subscription).model_dump(mode="json"))


def _with_secret(subscription: WebhookSubscription, secret: bytes | None) -> dict[str, Any]:
    view = subscription_view(subscription).model_dump(mode="json")
    return {**view, "secret": secrets.shown(secret) if secret is not None else None}


@router.post(
    "",
    status_code=201,
    response_model=SubscriptionWithSecret,
    summary="Subscribe to webhooks",
    description="A subscription to events of one badan publik: request and objection events "
    "of what was submitted through this client, DIP events of the root. The answer shows "
    "the signing secret once (`Idempotency-Key` retries get `secret: null`). URLs must be "
    "`https` and must not resolve to private, loopback or link-local addresses." + WHO,
    responses={201: {"headers": {"Location": {"schema": {"type": "string"}}}}, **WRITE_RESPONSES},
)
async def create_webhook_subscription(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    settings: SettingsDep,
    body: SubscriptionCreate,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:
    client_id = service.require_manager(claims)

    async def produce() -> idempotency.Outcome:
        subscription, secret = await service.create_subscription(
            session, client_id, body, tree, settings
        )
        await session.refresh(subscription)
        headers = {
            "Location": f"/v1/webhooks/subscriptions/{subscription.id}",
            **_NO_STORE,
        }
        shown = _with_secret(subscription, secret)
        return idempotency.Outcome(201, shown, headers, replay={**shown, "secret": None})

    return await idempotency.respond_once(
        request,
        session,
        scope=f"webhooks.subscribe:{client_id}",
        key=idempotency_key,
        produce=produce,
    )


@router.get(
    "",
    response_model=Page[SubscriptionView],
    summary="List this client's webhook subscriptions",
    description="Oldest first (keyset pages)." + WHO,
    responses={**LIST_RESPONSES, **problem_responses(401, 403)},
)
async def list_webhook_subscriptions(
    request: Request, session: SessionDep, claims: CurrentClaims, paging: PagingDep
) -> Response:
    client_id = service.require_manager(claims)
    query = sa.select(WebhookSubscription).where(col(WebhookSubscription.client_id) == client_id)
    page = await keyset_page(session, query, _SUBSCRIPTIONS, paging)
    return _page(request, [subscription_view(s) for s in page.items], page.next_cursor)


@router.get(
    "/{subscription_id}",
    response_model=SubscriptionView,
    summary="Get a webhook subscription",
    description="Never its secret." + WHO,
    responses={**ITEM_RESPONSES, **problem_responses(401, 403)},
)
async def get_webhook_subscription(
    request: Request, session: SessionDep, claims: CurrentClaims, subscription_id: SubscriptionId
) -> Response:
    client_id = service.require_manager(claims)
    subscription = await service.owned_subscription(session, client_id, subscription_id)
    content = subscription_view(subscription).model_dump(mode="json")
    return json_with_etag(request, content, cache_control=PRIVATE)


@router.patch(
    "/{subscription_id}",
    response_model=SubscriptionView,
    summary="Change a webhook subscription",
    description="`url`, `event_types`, `description`, `active` (false disables it and gives "
    "up its pending deliveries; true re-enables it and resets its failure count). "
    "`If-Match` with the subscription's ETag is required (428/412)." + WHO,
    responses={**WRITE_RESPONSES, **problem_responses(428)},
)
async def update_webhook_subscription(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    settings: SettingsDep,
    subscription_id: SubscriptionId,
    body: SubscriptionPatch,
) -> Response:
    client_id = service.require_manager(claims)
    subscription = await service.owned_subscription(
        session, client_id, subscription_id, for_update=True
    )
    require_if_match(request, _subscription_etag(subscription))
    await service.update_subscription(session, subscription, body, settings)
    await session.flush()
    await session.refresh(subscription)
    content = subscription_view(subscription).model_dump(mode="json")
    return json_with_etag(request, content, cache_control="no-store")


@router.delete(
    "/{subscription_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a webhook subscription",
    description="With its delivery log; nothing more is sent. Optional `If-Match`." + WHO,
    responses=problem_responses(401, 403, 404, 412),
)
async def delete_webhook_subscription(
    request: Request, session: SessionDep, claims: CurrentClaims, subscription_id: SubscriptionId
) -> Response:
    client_id = service.require_manager(claims)
    subscription = await service.owned_subscription(
        session, client_id, subscription_id, for_update=True
    )
    if "if-match" in request.headers:
        require_if_match(request, _subscription_etag(subscription))
    await service.delete_subscription(session, subscription)
    return Response(status_code=204)


@router.post(
    "/{subscription_id}/rotate-secret",
    response_model=SubscriptionWithSecret,
    summary="Rotate a webhook subscription's signing secret",
    description="A new secret, shown once; the previous one also signs (both signatures in "
    "`webhook-signature`) until `previous_secret_expires_at` "
    "(`REQUESTS_WEBHOOK_SECRET_OVERLAP_SECONDS`, a day by default). `Idempotency-Key` "
    "retries get `secret: null`." + WHO,
    responses=WRITE_RESPONSES,
)
async def rotate_webhook_secret(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    settings: SettingsDep,
    subscription_id: SubscriptionId,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:
    client_id = service.require_manager(claims)
    subscription = await service.owned_subscription(
        session, client_id, subscription_id, for_update=True
    )

    async def produce() -> idempotency.Outcome:
        secret = await service.rotate_secret(session, subscription, settings)
        await session.flush()
        await session.refresh(subscription)
        shown = _with_secret(subscription, secret)
        return idempotency.Outcome(200, shown, _NO_STORE, replay={**shown, "secret": None})

    return await idempotency.respond_once(
        request,
        session,
        scope=f"webhooks.rotate:{client_id}:{subscription_id}",
        key=idempotency_key,
        produce=produce,
    )


@router.post(
    "/{subscription_id}/ping",
    status_code=202,
    response_model=DeliveryView,
    summary="Send a test event",
    description="Queues a `webhook.ping` for this subscription (409 when it is disabled); "
    "follow it in the delivery log. Takes `Idempotency-Key`." + WHO,
    responses=WRITE_RESPONSES,
)
async def ping_webhook_subscription(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    subscription_id: SubscriptionId,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:
    client_id = service.require_manager(claims)
    subscription = await service.owned_subscription(session, client_id, subscription_id)

    async def produce() -> idempotency.Outcome:
        delivery = await service.queue_ping(session, subscription)
        return await _queued(session, delivery)

    return await idempotency.respond_once(
        request,
        session,
        scope=f"webhooks.ping:{client_id}:{subscription_id}",
        key=idempotency_key,
        produce=produce,
    )


async def _queued(session: AsyncSession, delivery: WebhookDelivery) -> idempotency.Outcome:
    await session.refresh(delivery)
    location = f"/v1/webhooks/subscriptions/{delivery.subscription_id}/deliveries/{delivery.id}"
    content = delivery_view(delivery).model_dump(mode="json")
    return idempotency.Outcome(202, content, {"Location": location, **_NO_STORE})


@router.get(
    "/{subscription_id}/deliveries",
    response_model=Page[DeliveryView],
    summary="List a subscription's deliveries",
    description="Newest first (keyset pages), optionally one `state`'s." + WHO,
    responses={**LIST_RESPONSES, **problem_responses(401, 403, 404)},
)
async def list_webhook_deliveries(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    paging: PagingDep,
    subscription_id: SubscriptionId,
    state: StateFilter = None,
) -> Response:
    client_id = service.require_manager(claims)
    subscription = await service.owned_subscription(session, client_id, subscription_id)
    query = sa.select(WebhookDelivery).where(
        col(WebhookDelivery.subscription_id) == subscription.id
    )
    if state is not None:
        query = query.where(col(WebhookDelivery.state) == state.value)
    page = await keyset_page(session, query, _DELIVERIES, paging)
    return _page(request, [delivery_view(d) for d in page.items], page.next_cursor)


@router.get(
    "/{subscription_id}/deliveries/{delivery_id}",
    response_model=DeliveryDetail,
    summary="Get a delivery with its attempts",
    description="The body sent and every attempt (status or error class, never the "
    "receiver's response body)." + WHO,
    responses={**ITEM_RESPONSES, **problem_responses(401, 403)},
)
async def get_webhook_delivery(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    subscription_id: SubscriptionId,
    delivery_id: DeliveryId,
) -> Response:
    client_id = service.require_manager(claims)
    subscription = await service.owned_subscription(session, client_id, subscription_id)
    delivery = await service.subscription_delivery(session, subscription, delivery_id)
    attempts = await session.scalars(
        sa.select(WebhookAttempt)
        .where(col(WebhookAttempt.delivery_id) == delivery.id)
        .order_by(col(WebhookAttempt.attempt), col(WebhookAttempt.created_at))
    )
    content = delivery_detail(delivery, list(attempts)).model_dump(mode="json")
    return json_with_etag(request, content, cache_control=PRIVATE)


@router.post(
    "/{subscription_id}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    response_model=DeliveryView,
    summary="Send a delivered or dead message again",
    description="A new delivery with the same `webhook-id` and body and a fresh retry "
    "schedule (409 while the original is pending or the subscription is disabled). Takes "
    "`Idempotency-Key`." + WHO,
    responses=WRITE_RESPONSES,
)
async def redeliver_webhook(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    subscription_id: SubscriptionId,
    delivery_id: DeliveryId,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:
    client_id = service.require_manager(claims)
    subscription = await service.owned_subscription(session, client_id, subscription_id)
    original = await service.subscription_delivery(session, subscription, delivery_id)

    async def produce() -> idempotency.Outcome:
        delivery = await service.redeliver(session, subscription, original)
        return await _queued(session, delivery)

    return await idempotency.respond_once(
        request,
        session,
        scope=f"webhooks.redeliver:{client_id}:{delivery_id}",
        key=idempotency_key,
        produce=produce,
    )
