"""Queries on grants. Never commits: the request's transaction does (STYLE.md).

Revoking keeps history: the row stays, with who revoked it and when.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from ppid_kit.db import add_and_refresh
from ppid_kit.tokens import Grant
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.grants.models import GrantRow, OfficialRole


def _live(user_id: uuid.UUID) -> sa.Select[GrantRow]:
    return (
        sa.select(GrantRow)
        .where(col(GrantRow.user_id) == user_id, col(GrantRow.revoked_at).is_(None))
        .order_by(col(GrantRow.granted_at), col(GrantRow.id))
    )


async def active_grant_rows(session: AsyncSession, user_id: uuid.UUID) -> list[GrantRow]:
    """The user's live grants, oldest first (the first is the "first grant" of an admin)."""
    return list((await session.scalars(_live(user_id))).all())


async def active_grants(session: AsyncSession, user_id: uuid.UUID) -> list[Grant]:
    """The user's live grants as tokens carry them (docs/auth-contract.md)."""
    rows = await active_grant_rows(session, user_id)
    return [Grant(role=row.role.value, unit_id=str(row.unit_id)) for row in rows]


async def grant_history(session: AsyncSession, user_id: uuid.UUID) -> list[GrantRow]:
    """Every grant the user ever had, revoked ones included, oldest first."""
    stmt = (
        sa.select(GrantRow)
        .where(col(GrantRow.user_id) == user_id)
        .order_by(col(GrantRow.granted_at), col(GrantRow.id))
    )
    return list((await session.scalars(stmt)).all())


async def get_grant(
    session: AsyncSession, user_id: uuid.UUID, grant_id: uuid.UUID
) -> GrantRow | None:
    row = await session.get(GrantRow, grant_id)
    return row if row is not None and row.user_id == user_id else None


async def find_live(
    session: AsyncSession, user_id: uuid.UUID, role: OfficialRole, unit_id: uuid.UUID
) -> GrantRow | None:
    stmt = _live(user_id).where(col(GrantRow.role) == role, col(GrantRow.unit_id) == unit_id)
    return (await session.scalars(stmt)).first()


async def add_grant(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    role: OfficialRole,
    unit_id: uuid.UUID,
    granted_by: uuid.UUID | None,
) -> GrantRow:
    """Stage a live grant; the caller checks first that no identical live one exists."""
    row = GrantRow(user_id=user_id, role=role, unit_id=unit_id, granted_by=granted_by)
    return await add_and_refresh(session, row)


async def revoke_grant(session: AsyncSession, row: GrantRow, *, revoked_by: uuid.UUID) -> GrantRow:
    """Mark `row` revoked now (database clock); the row stays as history."""
    row.revoked_by = revoked_by
    row.revoked_at = sa.func.now()  # type: ignore[assignment]
    await session.flush()
    await session.refresh(row)
    return row
