"""Objects removed once the transaction that released their rows commits.

A removal marks the row deleted in the caller's transaction; the object may go only
after that commits (a rollback keeps the row live, and it must keep its object). The
hook below runs after the outermost commit and deletes only the objects whose rows are
then committed as deleted; what it misses (a failure, a crash) is the sweeper's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from ppid_kit.storage import ObjectStore
from ppid_kit.storage.upload import delete_quietly
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import col

from requests_service.core.models import RequestFile

_log = logging.getLogger(__name__)

_PENDING = "requests_service.files.pending_removals"
_removals: set[asyncio.Task[None]] = set()


async def _remove_released(store: ObjectStore, engine: AsyncEngine, keys: list[str]) -> None:
    """Delete the objects whose rows are committed as deleted, never a live row's."""
    stmt = sa.select(col(RequestFile.storage_key)).where(
        col(RequestFile.storage_key).in_(keys), col(RequestFile.deleted_at).is_not(None)
    )
    try:
        async with engine.connect() as conn:
            released = list((await conn.execute(stmt)).scalars())
    except Exception:
        _log.exception("could not check released objects; the sweeper will")
        return
    for key in released:
        await delete_quietly(store, key)


def _committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction may still roll back
    for store, engine, keys in session.info.pop(_PENDING, []):
        task = asyncio.get_running_loop().create_task(_remove_released(store, engine, keys))
        _removals.add(task)
        task.add_done_callback(_removals.discard)


def _ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost: committed (handled) or rolled back
        session.info.pop(_PENDING, None)


def remove_after_commit(session: AsyncSession, store: ObjectStore, keys: Iterable[str]) -> None:
    """Delete the objects once `session`'s outermost transaction commits, each only if its
    row is then marked deleted (a rolled-back savepoint or transaction keeps them). What
    fails or a crash interrupts is the sweeper's: it removes objects of deleted rows."""
    pending = list(keys)
    engine = session.bind
    if not pending or not isinstance(engine, AsyncEngine):
        return
    sync = session.sync_session
    sync.info.setdefault(_PENDING, []).append((store, engine, pending))
    for name, listener in (("after_commit", _committed), ("after_transaction_end", _ended)):
        if not event.contains(sync, name, listener):
            event.listen(sync, name, listener)


async def settle_removals(*, wait_seconds: float = 10.0) -> None:
    """Wait (a bounded time) for the removals scheduled by commits so far."""
    if _removals:
        await asyncio.wait(set(_removals), timeout=wait_seconds)
