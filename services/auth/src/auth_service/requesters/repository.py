"""Queries on requesters and their email links. Never commits (STYLE.md)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.accounts.models import User, UserKind
from auth_service.requesters.models import EmailToken, RequesterProfile, TokenPurpose

# How long an expired link (a hash, maybe an address) or an abandoned registration is kept.
TOKEN_RETENTION = timedelta(days=7)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    """The user with this (lower-cased) address, locked for the rest of the transaction."""
    stmt = sa.select(User).where(col(User.email) == email).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def requester_by_id(
    session: AsyncSession, user_id: uuid.UUID, *, lock: bool = True
) -> User | None:
    """A live (not deleted) requester, locked unless told: changes must not interleave."""
    stmt = sa.select(User).where(
        col(User.id) == user_id,
        col(User.kind) == UserKind.REQUESTER,
        col(User.deleted_at).is_(None),
    )
    found = await session.execute(stmt.with_for_update() if lock else stmt)
    return found.scalar_one_or_none()


async def add_requester(session: AsyncSession, user: User) -> bool:
    """Insert `user`; False when the address was taken meanwhile (a concurrent registration)."""
    try:
        async with session.begin_nested():
            session.add(user)
            await session.flush()
    except IntegrityError:  # the savepoint is rolled back; the outer transaction goes on
        return False
    return True


async def change_email(session: AsyncSession, user: User, address: str) -> bool:
    """Give `user` the address; False when another account took it meanwhile (unique index)."""
    try:
        async with session.begin_nested():
            user.email = address
            await session.flush()
    except IntegrityError:
        return False
    return True


async def issue_token(
    session: AsyncSession,
    user_id: uuid.UUID,
    purpose: TokenPurpose,
    ttl: timedelta,
    *,
    email: str | None = None,
) -> str:
    """A new link token (32 random bytes); only its hash is stored. Returns the token."""
    token = secrets.token_urlsafe(32)
    await session.execute(
        sa.insert(EmailToken).values(
            id=uuid.uuid4(),
            user_id=user_id,
            purpose=purpose,
            token_hash=token_hash(token),
            email=email,
            # The database's clock, as `usable_token` compares with it (replicas' clocks differ).
            expires_at=sa.func.now() + ttl,
        )
    )
    return token


async def usable_token(
    session: AsyncSession, token: str, purpose: TokenPurpose
) -> EmailToken | None:
    """The unused, unexpired token of `purpose`, locked so two uses cannot both succeed."""
    stmt = (
        sa.select(EmailToken)
        .where(
            col(EmailToken.token_hash) == token_hash(token),
            col(EmailToken.purpose) == purpose,
            col(EmailToken.used_at).is_(None),
            col(EmailToken.expires_at) > sa.func.now(),
        )
        .with_for_update()
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def retire_tokens(session: AsyncSession, user_id: uuid.UUID, purpose: TokenPurpose) -> None:
    """Mark every open link of `purpose` used: only the newest link, or none, may work."""
    await session.execute(
        sa.update(EmailToken)
        .where(
            col(EmailToken.user_id) == user_id,
            col(EmailToken.purpose) == purpose,
            col(EmailToken.used_at).is_(None),
            col(EmailToken.expires_at) > sa.func.now(),
        )
        .values(used_at=sa.func.now(), email=None)
    )


async def recent_token_count(
    session: AsyncSession, user_id: uuid.UUID, purpose: TokenPurpose, window: timedelta
) -> int:
    stmt = sa.select(sa.func.count()).where(
        col(EmailToken.user_id) == user_id,
        col(EmailToken.purpose) == purpose,
        col(EmailToken.created_at) > sa.func.now() - window,
    )
    return int((await session.execute(stmt)).scalar_one())


async def purge_stale(session: AsyncSession) -> None:
    """Drop what is no longer needed (DOMAIN.md 17): links long expired, and registrations
    never confirmed whose last link expired that long ago (they cannot have logged in, so
    nothing refers to them). Rows another request holds are left for a later purge."""
    cutoff = sa.func.now() - TOKEN_RETENTION
    old_links = sa.select(col(EmailToken.user_id)).where(col(EmailToken.expires_at) < cutoff)
    live_link = sa.exists().where(
        col(EmailToken.user_id) == col(User.id), col(EmailToken.expires_at) >= cutoff
    )
    abandoned = (
        sa.select(col(User.id))
        .where(
            col(User.id).in_(old_links),
            col(User.kind) == UserKind.REQUESTER,
            col(User.email_verified_at).is_(None),
            col(User.deleted_at).is_(None),
            ~live_link,
        )
        .with_for_update(skip_locked=True)
    )
    ids = list((await session.execute(abandoned)).scalars())
    if ids:
        await session.execute(sa.delete(User).where(col(User.id).in_(ids)))
    await session.execute(sa.delete(EmailToken).where(col(EmailToken.expires_at) < cutoff))


async def delete_tokens(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(sa.delete(EmailToken).where(col(EmailToken.user_id) == user_id))


async def email_taken(session: AsyncSession, email: str, *, besides: uuid.UUID) -> bool:
    stmt = sa.select(col(User.id)).where(col(User.email) == email, col(User.id) != besides)
    return (await session.execute(stmt)).first() is not None


async def profile_of(session: AsyncSession, user_id: uuid.UUID) -> RequesterProfile | None:
    return await session.get(RequesterProfile, user_id)


async def set_phone(session: AsyncSession, user_id: uuid.UUID, phone: str | None) -> None:
    profile = await profile_of(session, user_id)
    if profile is None:
        profile = RequesterProfile(user_id=user_id)
        session.add(profile)
    profile.phone = phone
    await session.flush()


async def delete_profile(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        sa.delete(RequesterProfile).where(col(RequesterProfile.user_id) == user_id)
    )
