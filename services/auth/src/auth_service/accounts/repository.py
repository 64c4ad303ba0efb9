"""Queries on users. Never commits: the request's transaction does (STYLE.md)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

import sqlalchemy as sa
from ppid_kit.db import add_and_refresh
from ppid_kit.paging import Keyset
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.accounts.models import User, UserKind
from auth_service.grants.models import GrantRow

# The officials list's order; ix_users_kind_name_id serves it.
BY_NAME = Keyset(User, "name", "id")


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    """The user with this email (compared lower-cased), deleted ones included."""
    stmt = sa.select(User).where(col(User.email) == email.strip().lower())
    return (await session.scalars(stmt)).first()


async def email_taken(session: AsyncSession, email: str) -> bool:
    return await get_by_email(session, email) is not None


async def add_user(session: AsyncSession, user: User) -> User:
    """Stage a new user; timestamps are loaded after the flush."""
    return await add_and_refresh(session, user)


async def save(session: AsyncSession, user: User) -> User:
    """Flush changes to `user` and load what the database set (`updated_at`)."""
    await session.flush()
    await session.refresh(user)
    return user


def select_officials(units: Collection[uuid.UUID]) -> sa.Select[User]:
    """Officials holding a live grant at one of `units` (no order: `keyset_page` adds it)."""
    holds_grant = sa.exists().where(
        col(GrantRow.user_id) == col(User.id),
        col(GrantRow.revoked_at).is_(None),
        col(GrantRow.unit_id).in_(list(units)),
    )
    return sa.select(User).where(
        col(User.kind) == UserKind.OFFICIAL, col(User.deleted_at).is_(None), holds_grant
    )
