"""Queries of the reminders. Never commits: the caller's transaction does (STYLE.md)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.core.models import NOTICE_PENDING_STATES, InformationRequest
from requests_service.notify.models import DeadlineReminder, ReminderKind


def _effective_due() -> sa.ColumnElement[dt.date]:
    return sa.func.coalesce(
        col(InformationRequest.extended_due), col(InformationRequest.notice_due)
    )


async def reminder_candidates(
    session: AsyncSession, not_before: dt.date
) -> list[InformationRequest]:
    """Requests still waiting for their notice whose (extended) deadline is not over
    before `not_before`, and that have no reminder for that deadline yet."""
    due = _effective_due()
    reminded = sa.exists().where(
        col(DeadlineReminder.request_id) == col(InformationRequest.id),
        col(DeadlineReminder.due_date) == due,
    )
    stmt = (
        sa.select(InformationRequest)
        .where(
            col(InformationRequest.state).in_(NOTICE_PENDING_STATES),
            due >= not_before,
            ~reminded,
        )
        .order_by(due, col(InformationRequest.id))
    )
    return list((await session.execute(stmt)).scalars())


async def lock_pending(session: AsyncSession, request_id: uuid.UUID) -> InformationRequest | None:
    """The request, share-locked, if it still waits for its notice (an action in flight
    commits first, or waits for this reminder's short transaction)."""
    stmt = (
        sa.select(InformationRequest)
        .where(
            col(InformationRequest.id) == request_id,
            col(InformationRequest.state).in_(NOTICE_PENDING_STATES),
        )
        .with_for_update(read=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def claim_reminder(
    session: AsyncSession,
    *,
    request_id: uuid.UUID,
    kind: ReminderKind,
    due_date: dt.date,
    unit_id: uuid.UUID,
    addressed_unit_id: uuid.UUID,
) -> bool:
    """Insert the reminder's row; False when it exists (another pass or replica sent it)."""
    stmt = (
        insert(DeadlineReminder)
        .values(
            request_id=request_id,
            kind=kind,
            due_date=due_date,
            unit_id=unit_id,
            addressed_unit_id=addressed_unit_id,
        )
        .on_conflict_do_nothing()
        .returning(col(DeadlineReminder.request_id))
    )
    return (await session.execute(stmt)).first() is not None
