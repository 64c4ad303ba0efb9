"""The one writer of an objection's history: state, version, event, audit, webhooks.

Every change of an objection goes through `record_objection_event`, in the transaction
of the change: the append-only history (DOMAIN.md 10.7), the audit log and the outbox
rows (emails via `emails.on_objection_event`, webhooks) commit together or not at all
(ARCHITECTURE.md data flow 3).
"""

from __future__ import annotations

from typing import Any

from ppid_kit.access import Actor
from ppid_kit.audit import write_audit
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core.access import audit_actor_type
from requests_service.core.models import ActorType
from requests_service.objections.emails import on_objection_event
from requests_service.objections.models import Objection, ObjectionEvent, ObjectionState
from requests_service.webhooks.emit import emit_event
from requests_service.webhooks.models import WebhookEventType

_DECISION_ACTIONS = frozenset({"decide"})


def _event_type(action: str, from_state: str | None) -> WebhookEventType:
    if from_state is None:
        return WebhookEventType.OBJECTION_FILED
    if action in _DECISION_ACTIONS:
        return WebhookEventType.OBJECTION_DECIDED
    return WebhookEventType.OBJECTION_STATE_CHANGED


async def record_objection_event(
    session: AsyncSession,
    objection: Objection,
    *,
    action: str,
    to_state: ObjectionState,
    actor: Actor | None,
    actor_type: ActorType,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> ObjectionEvent:
    """Move `objection` to `to_state` (or keep it) and record why, who and when.

    A new objection is created with `version=0`; its first event is `action="file"`,
    `to_state=filed`. `details` must hold no personal data (`write_audit` refuses it).
    """
    from_state = None if objection.version == 0 else str(objection.state)
    objection.state = to_state
    objection.version = (objection.version or 0) + 1
    event = ObjectionEvent(
        objection_id=objection.id,
        version=objection.version,
        action=action,
        from_state=from_state,
        to_state=str(to_state),
        actor_type=actor_type,
        actor_role=None if actor is None else actor.role,
        actor_id=None if actor is None else actor.user_id,
        note=note,
        details=dict(details or {}),
    )
    session.add(objection)
    session.add(event)
    await session.flush()
    await write_audit(
        session,
        action=f"objection.{action}",
        object_type="objection",
        object_id=objection.id,
        actor_id=None if actor is None else actor.user_id,
        actor_type=audit_actor_type(actor_type, actor),
        unit_id=objection.unit_id,
        details={"from": from_state, "to": event.to_state, **(details or {})},
    )
    await emit_event(
        session,
        event_type=_event_type(action, from_state),
        root_id=objection.root_id,
        client_id=objection.client_id,
        data={
            "objection_id": str(objection.id),
            "objection_number": objection.objection_number,
            "request_id": None if objection.request_id is None else str(objection.request_id),
            "unit_id": str(objection.unit_id),
            "action": action,
            "from_state": from_state,
            "state": event.to_state,
            "decision": None if objection.decision is None else str(objection.decision),
            "version": objection.version,
        },
    )
    await on_objection_event(session, objection, event)
    return event
