"""`GET /v1/dip/changes`: the change log of the public DIP, in commit order.

A page is the changes with `seq` greater than the cursor's position, in `seq` order
(optionally one root's). `feed.models` explains why following `next_cursor` never misses
or repeats a change. `next_cursor` is always set: after an empty page it is the same
position, so a poller just keeps asking with it.

Caching. A full page (`limit` items) can never change: its rows are committed, numbered
gap-free, and later changes get higher numbers, so it is cached for an hour. The tail
page (fewer items) grows as officials publish, so it gets `public, max-age=5`: a CDN can
answer the many aggregators polling the tail with one query per 5 seconds, news reach
them at most 5 seconds late, and nothing is ever missed, since a stale page's cursor only
points at a position already followed (`no-cache` would send every poll to the database
for no gain in correctness).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from ppid_kit.cursor import CursorCodec, Page
from ppid_kit.models import PublicModel
from ppid_kit.paging import Paging
from ppid_kit.problems import INVALID_CURSOR, ProblemError, Text
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from registry_service.feed.models import ChangeKind, DipChange
from registry_service.feed.reader import last_seq
from registry_service.public import DipEntryWithDocuments

FULL_PAGE_CACHE = "public, max-age=3600"
TAIL_PAGE_CACHE = "public, max-age=5"
_POSITION = "after_seq"  # the cursor's one value; other lists' cursors lack it

_AHEAD = Text(
    "Kursor menunjuk ke posisi yang belum ada di log perubahan ini; mulai lagi tanpa kursor.",
    "The cursor points past the end of this change log; start again without a cursor.",
)


class DipChangePublic(PublicModel):
    """One change of the public DIP."""

    seq: int = Field(description="Position in the log: gap-free, in commit order, from 1.")
    kind: ChangeKind = Field(description="`upsert`: the entry as it now is; `tombstone`: gone.")
    entry_id: uuid.UUID
    root_id: uuid.UUID
    committed_at: datetime = Field(
        description="When the writing transaction started (not monotonic in `seq`)."
    )
    entry: DipEntryWithDocuments | None = Field(
        description="The entry as the public DIP showed it after the change; null for tombstones."
    )


class DipChangePage(Page[DipChangePublic]):
    """A page of the change log; `next_cursor` is always set (follow it to keep up)."""

    next_cursor: str = Field(description="Where the next poll continues, also after an empty page.")


def decode_position(codec: CursorCodec, cursor: str | None) -> int:
    if cursor is None:
        return 0
    value = codec.decode(cursor).get(_POSITION)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProblemError(INVALID_CURSOR)
    return value


def encode_position(codec: CursorCodec, seq: int) -> str:
    return codec.encode({_POSITION: seq})


def _item(change: DipChange) -> dict[str, Any]:
    return {
        "seq": change.seq,
        "kind": change.kind,
        "entry_id": change.entry_id,
        "root_id": change.root_id,
        "committed_at": change.committed_at,
        "entry": change.entry,
    }


async def change_page(
    session: AsyncSession, paging: Paging, root: uuid.UUID | None
) -> tuple[dict[str, Any], bool]:
    """The page's body and whether it is full (so immutable)."""
    after = decode_position(paging.codec, paging.cursor)
    stmt = sa.select(DipChange).where(col(DipChange.seq) > after)
    if root is not None:
        stmt = stmt.where(col(DipChange.root_id) == root)
    stmt = stmt.order_by(col(DipChange.seq)).limit(paging.limit)
    changes = list(await session.scalars(stmt))
    if not changes and after > 0 and after > await last_seq(session):
        # Signed by us, but for a log that has since been rebuilt: following it would
        # silently skip every change up to that position.
        raise ProblemError(INVALID_CURSOR, _AHEAD)
    position = changes[-1].seq if changes else after
    body = {
        "items": [_item(change) for change in changes],
        "next_cursor": encode_position(paging.codec, position),
    }
    return body, len(changes) == paging.limit
