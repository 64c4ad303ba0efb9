"""Writing the change log: one row per change of the public DIP, numbered in commit order.

See `feed.models` for why the counter row gives a gap-free, commit-ordered sequence.
Call `record_change` as the LAST statement of the writing transaction: the counter's
row lock is held from here to the commit, so every other writer of the DIP waits for
this transaction to finish before it can record its own change.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from pydantic import JsonValue
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from registry_service.feed.models import ChangeKind, DipChange, FeedCounter


async def next_seq(session: AsyncSession) -> int:
    """The next sequence number; locks the counter row until the transaction ends."""
    stmt = (
        sa.update(FeedCounter)
        .where(col(FeedCounter.id) == 1)
        .values(last_seq=col(FeedCounter.last_seq) + 1)
        .returning(col(FeedCounter.last_seq))
    )
    return int((await session.execute(stmt)).scalar_one())


async def record_change(
    session: AsyncSession,
    *,
    entry_id: uuid.UUID,
    root_id: uuid.UUID,
    public: dict[str, JsonValue] | None,
) -> int:
    """Record that entry `entry_id` changed publicly; returns the change's sequence number.

    `public` is the entry as the public DIP now shows it (an upsert), or None when it has
    left the public DIP (a tombstone: withdrawn, archived, superseded, exempted).
    """
    seq = await next_seq(session)
    kind = ChangeKind.TOMBSTONE if public is None else ChangeKind.UPSERT
    session.add(DipChange(seq=seq, entry_id=entry_id, root_id=root_id, kind=kind, entry=public))
    await session.flush()
    return seq
