"""Officials as admins manage them: create with first grants, list and read within a subtree.

DOMAIN.md 2.3: `admin` (per root) manages users. An admin sees the officials who hold
(or held) a grant somewhere in the units their admin role covers, and only those grants.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from ppid_kit.audit import write_audit
from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError
from ppid_kit.tokens import Claims
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.accounts import errors, passwords, repository
from auth_service.accounts.models import User, UserKind
from auth_service.accounts.profile import user_public
from auth_service.accounts.schemas import OfficialCreate, UserPublic
from auth_service.grants import service as grants
from auth_service.grants.models import GrantRow
from auth_service.permissions import ADMIN, UnitTree, covered_units, require_admin_over


def admin_scope(claims: Claims, tree: UnitTree) -> set[uuid.UUID]:
    """The units the caller administers; none at all is a 403."""
    covered = covered_units(claims, ADMIN, tree)
    if not covered:
        raise ProblemError(FORBIDDEN)
    return covered


async def grants_within(
    session: AsyncSession, user_id: uuid.UUID, units: set[uuid.UUID], *, live_only: bool
) -> list[GrantRow]:
    stmt = sa.select(GrantRow).where(
        col(GrantRow.user_id) == user_id, col(GrantRow.unit_id).in_(list(units))
    )
    if live_only:
        stmt = stmt.where(col(GrantRow.revoked_at).is_(None))
    stmt = stmt.order_by(col(GrantRow.granted_at), col(GrantRow.id))
    return list((await session.scalars(stmt)).all())


async def visible_official(
    session: AsyncSession, claims: Claims, user_id: uuid.UUID, tree: UnitTree
) -> UserPublic:
    """An official with a grant (live or past) in the caller's subtree; else 404."""
    units = admin_scope(claims, tree)
    user = await repository.get_user(session, user_id)
    found = [] if user is None else await grants_within(session, user_id, units, live_only=False)
    if user is None or user.kind != UserKind.OFFICIAL or not found:
        raise ProblemError(NOT_FOUND, grants.NO_SUCH_OFFICIAL)
    return user_public(user, found)


async def _new_user(session: AsyncSession, body: OfficialCreate) -> User:
    if await repository.email_taken(session, body.email):
        raise ProblemError(errors.ACCOUNT_EXISTS)
    passwords.check_password_policy(body.password, email=body.email, name=body.name)
    user = User(
        kind=UserKind.OFFICIAL,
        email=body.email,
        name=body.name,
        password_hash=await passwords.hash_password(body.password),
        email_verified_at=datetime.now(UTC),  # vouched for by the admin
    )
    try:
        return await repository.add_user(session, user)
    except IntegrityError as exc:  # the same email created concurrently
        raise ProblemError(errors.ACCOUNT_EXISTS) from exc


async def create_official(
    session: AsyncSession, claims: Claims, body: OfficialCreate, tree: UnitTree
) -> UserPublic:
    """An official with an initial password and the grants asked for (admin over each unit)."""
    for wanted in body.grants:
        require_admin_over(claims, wanted.unit_id, tree)
    user = await _new_user(session, body)
    rows: list[GrantRow] = []
    for wanted in {(g.role, g.unit_id): g for g in body.grants}.values():
        rows.append(await grants.grant(session, claims, user, wanted.role, wanted.unit_id, tree))
    await write_audit(
        session,
        action="official.created",
        object_type="user",
        object_id=user.id,
        actor_id=claims.sub,
        actor_type="user",
        unit_id=rows[0].unit_id,
        details={"grants": len(rows)},
    )
    return user_public(user, rows)


async def page_items(
    session: AsyncSession, users: list[User], units: set[uuid.UUID]
) -> list[UserPublic]:
    """Each official of a page with their live grants inside `units`."""
    return [
        user_public(user, await grants_within(session, user.id, units, live_only=True))
        for user in users
    ]
