"""Queries on the outbox. Never commits: the caller's transaction does (STYLE.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ppid_kit.outbox.models import MessageKind, MessageStatus, OutboxMessage


async def enqueue_email(
    session: AsyncSession, *, to: str, subject: str, text: str, html: str | None = None
) -> None:
    """Queue an email in the caller's transaction: it leaves only if that transaction commits."""
    session.add(
        OutboxMessage(
            kind=MessageKind.EMAIL,
            recipient=to,
            subject=subject,
            body_text=text,
            body_html=html,
        )
    )
    await session.flush()


async def lock_next_due(session: AsyncSession) -> OutboxMessage | None:
    """The oldest due pending message, locked; rows other replicas hold are skipped."""
    stmt = (
        sa.select(OutboxMessage)
        .where(
            col(OutboxMessage.status) == MessageStatus.PENDING,
            col(OutboxMessage.next_attempt_at) <= sa.func.now(),
        )
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


def _blank(message: OutboxMessage, status: MessageStatus) -> None:
    """Drop the personal data (DOMAIN.md 17): only the bookkeeping stays."""
    message.status = status
    message.recipient = None
    message.body_text = None
    message.body_html = None


def mark_sent(message: OutboxMessage) -> None:
    message.attempts += 1
    message.sent_at = datetime.now(UTC)
    message.last_error = None
    _blank(message, MessageStatus.SENT)


def backoff(attempts: int, base: float, cap: float) -> timedelta:
    """base, 2·base, 4·base, … seconds after the 1st, 2nd, 3rd failure, at most `cap`."""
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def mark_failed_attempt(
    message: OutboxMessage, error: str, *, retry_after: timedelta | None
) -> None:
    """Count one failed attempt; without `retry_after` the message is given up."""
    message.attempts += 1
    message.last_error = error
    if retry_after is None:
        _blank(message, MessageStatus.FAILED)
    else:
        message.next_attempt_at = datetime.now(UTC) + retry_after


async def cancel_pending_to(session: AsyncSession, recipient: str) -> int:
    """Drop unsent messages to `recipient` (an erased account must not be written to later)."""
    result = await session.execute(
        sa.delete(OutboxMessage).where(
            col(OutboxMessage.status) == MessageStatus.PENDING,
            col(OutboxMessage.recipient) == recipient,
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
