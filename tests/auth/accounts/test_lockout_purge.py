"""Login-failure rows that no longer count are deleted by auth's periodic upkeep."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import sqlalchemy as sa
from auth_service.accounts.lockout import stale_after
from auth_service.main import create_app

from tests.auth.accounts.support import settings_for
from tests.services.support import database_session, rows, serve

INSERT = sa.text(
    "INSERT INTO login_failures (scope, key, failures, first_failure_at, last_failure_at, "
    "locked_until, strikes) VALUES ('address', :key, 3, now() - CAST(:last AS interval), "
    "now() - CAST(:last AS interval), now() + CAST(:locked AS interval), 0)"
)


async def _keys_left(database_url: str, keys: list[str]) -> set[str]:
    found = await rows(
        database_url, "SELECT key FROM login_failures WHERE key = ANY(:keys)", keys=keys
    )
    return {row[0] for row in found}


async def test_stale_rows_go_and_live_ones_stay(database_url: str) -> None:
    settings = settings_for(database_url, key_rotation_check_seconds=0.2)
    stale = stale_after(settings)
    assert stale >= timedelta(seconds=2 * settings.address_lockout_max_seconds)
    old, old_but_locked, recent = (f"purge-{uuid.uuid4().hex}" for _ in range(3))
    long_ago, tiny = stale + timedelta(hours=1), timedelta(seconds=1)
    async with database_session(database_url) as session:
        await session.execute(INSERT, {"key": old, "last": long_ago, "locked": -long_ago})
        # An old failure whose lock is still running must stay (it still blocks).
        await session.execute(INSERT, {"key": old_but_locked, "last": long_ago, "locked": tiny})
        await session.execute(INSERT, {"key": recent, "last": tiny, "locked": -tiny})
    keys = [old, old_but_locked, recent]
    async with serve(create_app(settings)):
        for _ in range(50):
            if old not in await _keys_left(database_url, keys):
                break
            await asyncio.sleep(0.1)
    assert await _keys_left(database_url, keys) == {old_but_locked, recent}
