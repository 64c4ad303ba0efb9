"""The tokens package's lifespan hook: config, first key, own verifier, upkeep.

Upkeep, every AUTH_KEY_ROTATION_CHECK_SECONDS on each replica: rotate the signing key
by age, drop long-expired refresh tokens and the login-failure rows that no longer count.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from ppid_kit.background import in_background, reraise_if_cancelled
from ppid_kit.tokens import TokenVerifier
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from auth_service.accounts import lockout
from auth_service.settings import AuthSettings
from auth_service.tokens import repository
from auth_service.tokens.config import TokenConfig, bind_config
from auth_service.tokens.keys import ensure_active_key, rotate_if_due
from auth_service.tokens.verifier import DatabaseKeySource

_log = logging.getLogger("auth_service.tokens")


async def _in_transaction(
    engine: AsyncEngine, work: Callable[[AsyncSession], Awaitable[object]]
) -> None:
    """Run `work` in its own transaction; a database hiccup is logged, never fatal."""
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            await work(session)
    except (SQLAlchemyError, OSError) as exc:
        reraise_if_cancelled(exc)
        # The service still starts (and /readyz says why); the key is made on first use.
        _log.warning("signing key maintenance failed: %s", type(exc).__name__)


def _maintenance(settings: AuthSettings) -> Callable[[AsyncSession], Awaitable[None]]:
    async def maintain(session: AsyncSession) -> None:
        await rotate_if_due(session)
        # A replayed token a week past expiry still says "reuse"; older rows only take space.
        await repository.purge_expired(session, grace=timedelta(days=7))
        await lockout.purge_stale(session, settings)

    return maintain


async def _maintain_periodically(engine: AsyncEngine, settings: AuthSettings) -> None:
    maintain = _maintenance(settings)
    while True:
        await asyncio.sleep(settings.key_rotation_check_seconds)
        await _in_transaction(engine, maintain)


@asynccontextmanager
async def tokens_lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: AuthSettings = app.state.settings
    engine: AsyncEngine = app.state.engine
    config = TokenConfig.from_settings(settings)
    bind_config(engine, config)
    await _in_transaction(engine, ensure_active_key)
    app.state.token_verifier = TokenVerifier(
        DatabaseKeySource(engine),
        issuer=config.issuer,
        audience=config.audience,
        algorithms=config.algorithms,
    )
    async with in_background(_maintain_periodically(engine, settings), name="auth-upkeep"):
        yield
