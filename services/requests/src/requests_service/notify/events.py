"""What a request's events send: queued in the event's transaction (the outbox).

`core.history.record_event` calls `on_request_event` after writing the event, in
the same transaction: the email leaves only if the change commits, and a crash
after the commit loses nothing (ARCHITECTURE.md data flow 3).
"""

from __future__ import annotations

import uuid

from ppid_kit.outbox import enqueue_email
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core import repository
from requests_service.core.models import InformationRequest, RequestEvent
from requests_service.notify.config import config_for
from requests_service.notify.templates import Occasion, requester_email


def unit_name(tree: UnitTree | None, unit_id: uuid.UUID) -> str | None:
    if tree is None or unit_id not in tree:
        return None
    return tree.node(unit_id).name or None


async def on_request_event(
    session: AsyncSession, request: InformationRequest, event: RequestEvent
) -> None:
    """Queue the email to the requester about `event`, when they gave an address."""
    identity = await repository.identity(session, request.id)
    if identity is None or not identity.email:
        return  # a walk-in without email is told at the desk or by letter
    config = config_for(session)
    tree = config.tree()
    occasion = Occasion(
        request=request,
        action=event.action,
        note=event.note,
        unit_name=unit_name(tree, request.unit_id),
        root_name=unit_name(tree, request.root_id),
    )
    email = requester_email(occasion, config.tracking_link_base)
    await enqueue_email(
        session, to=identity.email, subject=email.subject, text=email.text, html=email.html
    )
