"""What requests' emails and outbox rows hold, and officials' actions recorded directly.

Requests are stored with `tests.requests.support.store_request` (its `submit` event
queues the requester's email); `step` records a later action as the workflow does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from ppid_kit.access import Actor
from requests_service.core.history import record_event
from requests_service.core.models import ActorType, InformationRequest, RequestState
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.requests.support import ZONE

OFFICIAL = Actor(uuid.uuid4(), "ppid_pelaksana")


def in_zone(day: dt.date, hour: int, minute: int = 0, zone: str = ZONE) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(zone))


async def step(
    session: AsyncSession,
    request: InformationRequest,
    action: str,
    to_state: RequestState,
    *,
    note: str | None = None,
    **changes: Any,
) -> InformationRequest:
    """An official's action as the workflow package records it (fields, then the event)."""
    merged = await session.merge(request)
    for name, value in changes.items():
        setattr(merged, name, value)
    await record_event(
        session,
        merged,
        action=action,
        to_state=to_state,
        actor=OFFICIAL,
        actor_type=ActorType.OFFICIAL,
        note=note,
    )
    return merged


async def outbox_rows(engine: AsyncEngine, **where: str) -> list[sa.Row[Any]]:
    """`outbox_messages` rows whose columns equal `where` (e.g. `recipient=…`)."""
    clauses = " AND ".join(f"{column} = :{column}" for column in where) or "TRUE"
    async with engine.connect() as conn:
        found = await conn.execute(
            sa.text(f"SELECT * FROM outbox_messages WHERE {clauses} ORDER BY created_at"),  # noqa: S608
            where,
        )
        return list(found)


async def rows_about(engine: AsyncEngine, number: str) -> list[sa.Row[Any]]:
    """The outbox rows whose subject names registration number `number`."""
    async with engine.connect() as conn:
        found = await conn.execute(
            sa.text("SELECT * FROM outbox_messages WHERE subject LIKE :s ORDER BY created_at"),
            {"s": f"%{number}%"},
        )
        return list(found)
