"""Queries on refresh tokens. Never commits: the request's transaction does (STYLE.md)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from ppid_kit.db import add_and_refresh
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.tokens.models import RefreshToken
from auth_service.tokens.sealing import sha256_hex


async def add_refresh_token(
    session: AsyncSession,
    raw: str,
    *,
    family_id: uuid.UUID,
    user_id: uuid.UUID,
    client_id: str | None,
    expires_at: datetime,
) -> RefreshToken:
    row = RefreshToken(
        token_hash=sha256_hex(raw),
        family_id=family_id,
        user_id=user_id,
        client_id=client_id,
        expires_at=expires_at,
    )
    return await add_and_refresh(session, row)


async def find_for_update(session: AsyncSession, raw: str) -> RefreshToken | None:
    """The row of `raw`, locked: two concurrent refreshes with one token cannot both win."""
    stmt = (
        sa.select(RefreshToken)
        .where(col(RefreshToken.token_hash) == sha256_hex(raw))
        .with_for_update()
    )
    return (await session.scalars(stmt)).first()


async def mark_used(session: AsyncSession, row: RefreshToken) -> None:
    row.used_at = sa.func.now()  # type: ignore[assignment]
    await session.flush()


async def _revoke(session: AsyncSession, condition: sa.ColumnElement[bool]) -> list[uuid.UUID]:
    """Revoke the unrevoked tokens matching `condition`; the family of each row changed."""
    stmt = (
        sa.update(RefreshToken)
        .where(condition, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=sa.func.now())
        .returning(col(RefreshToken.family_id))
        .execution_options(synchronize_session=False)
    )
    return list((await session.scalars(stmt)).all())


async def revoke_family(session: AsyncSession, family_id: uuid.UUID) -> int:
    """Revoke every token of the family still unrevoked; how many rows changed."""
    return len(await _revoke(session, col(RefreshToken.family_id) == family_id))


async def revoke_user_families(session: AsyncSession, user_id: uuid.UUID) -> set[uuid.UUID]:
    """Revoke every live token of the user; the families that had one."""
    return set(await _revoke(session, col(RefreshToken.user_id) == user_id))


async def purge_expired(session: AsyncSession, *, grace: timedelta) -> int:
    """Delete tokens expired more than `grace` ago; they can refresh nothing any more."""
    stmt = sa.delete(RefreshToken).where(col(RefreshToken.expires_at) < sa.func.now() - grace)
    result = await session.execute(stmt.execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]
