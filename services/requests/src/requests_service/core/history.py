"""The one writer of a request's history: state, version, event, audit, notification.

Every change of a request goes through `record_event`, in the transaction of the
change: the state history (append-only), the audit log (ARCHITECTURE.md: every
state change with actor, unit and time) and the outbox row of the notification
(ARCHITECTURE.md data flow 3) commit together or not at all.
"""

from __future__ import annotations

from typing import Any

from ppid_kit.access import Actor
from ppid_kit.audit import write_audit
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core.access import audit_actor_type
from requests_service.core.models import ActorType, InformationRequest, RequestEvent, RequestState
from requests_service.notify.events import on_request_event
from requests_service.webhooks.emit import emit_event
from requests_service.webhooks.models import WebhookEventType


async def record_event(
    session: AsyncSession,
    request: InformationRequest,
    *,
    action: str,
    to_state: RequestState,
    actor: Actor | None,
    actor_type: ActorType,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> RequestEvent:
    """Move `request` to `to_state` (or keep it) and record why, who and when.

    `note` is shown to the requester (an extension's reason…); `details` must hold
    no personal data (`write_audit` refuses it). The request is flushed.
    """
    from_state = None if request.version == 0 else request.state
    request.state = to_state
    request.version = (request.version or 0) + 1
    event = RequestEvent(
        request_id=request.id,
        version=request.version,
        action=action,
        from_state=None if from_state is None else str(from_state),
        to_state=str(to_state),
        actor_type=actor_type,
        actor_role=None if actor is None else actor.role,
        actor_id=None if actor is None else actor.user_id,
        unit_id=request.unit_id,
        note=note,
        details=dict(details or {}),
    )
    session.add(request)
    session.add(event)
    await session.flush()
    await write_audit(
        session,
        action=f"request.{action}",
        object_type="information_request",
        object_id=request.id,
        actor_id=None if actor is None else actor.user_id,
        actor_type=audit_actor_type(actor_type, actor),
        unit_id=request.unit_id,
        details={"from": event.from_state, "to": event.to_state, **(details or {})},
    )
    await on_request_event(session, request, event)
    await emit_event(
        session,
        event_type=WebhookEventType.REQUEST_STATE_CHANGED,
        root_id=request.root_id,
        client_id=request.client_id,
        data={
            "request_id": str(request.id),
            "registration_number": request.registration_number,
            "unit_id": str(request.unit_id),
            "action": action,
            "from_state": event.from_state,
            "state": event.to_state,
            "version": request.version,
        },
    )
    return event
