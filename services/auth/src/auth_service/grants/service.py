"""Granting and revoking roles: an admin acts only within their subtree (DOMAIN.md 2.3).

Every change goes to the audit log with the unit, the role and who did it (issue 3, item 6).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from ppid_kit.audit import write_audit
from ppid_kit.problems import NOT_FOUND, ProblemError, Text, register_kind
from ppid_kit.tokens import Claims
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.accounts.models import User, UserKind
from auth_service.grants import repository
from auth_service.grants.models import GrantRow, OfficialRole
from auth_service.permissions import UnitTree, require_admin_over

GRANT_EXISTS = register_kind(
    "grant-exists",
    409,
    "Peran ini sudah diberikan di unit ini",
    "This role is already granted here",
)
UNIT_INACTIVE = register_kind("unit-inactive", 409, "Unit tidak aktif", "The unit is inactive")
LAST_ADMIN = register_kind(
    "last-admin",
    409,
    "Admin terakhir badan publik tidak dapat dicabut",
    "The last admin of a root cannot be revoked",
    detail_id="Berikan peran admin di unit akar kepada orang lain terlebih dahulu.",
    detail_en="Grant admin at the root to someone else first.",
)
NO_SUCH_OFFICIAL = Text("Pejabat tidak ditemukan.", "No such official.")
NO_SUCH_GRANT = Text("Pemberian peran tidak ditemukan.", "No such grant.")


def actor_of(claims: Claims) -> uuid.UUID:
    """The acting official (only officials' tokens carry grants, so `sub` is a user id)."""
    return uuid.UUID(claims.sub)


async def official(session: AsyncSession, user_id: uuid.UUID) -> User:
    """A live official account, else 404 (requesters never hold grants)."""
    user = await session.get(User, user_id)
    if user is None or user.kind != UserKind.OFFICIAL or user.deleted_at is not None:
        raise ProblemError(NOT_FOUND, NO_SUCH_OFFICIAL)
    return user


async def _audit(session: AsyncSession, action: str, row: GrantRow, claims: Claims) -> None:
    await write_audit(
        session,
        action=action,
        object_type="grant",
        object_id=row.id,
        actor_id=claims.sub,
        actor_type="user",
        unit_id=row.unit_id,
        details={"role": row.role.value, "official_id": str(row.user_id)},
    )


async def grant(
    session: AsyncSession,
    claims: Claims,
    user: User,
    role: OfficialRole,
    unit_id: uuid.UUID,
    tree: UnitTree,
) -> GrantRow:
    """`role` at `unit_id` for `user`: the caller must be admin over the unit."""
    require_admin_over(claims, unit_id, tree)
    if not tree.is_active(unit_id):
        raise ProblemError(UNIT_INACTIVE)
    if await repository.find_live(session, user.id, role, unit_id) is not None:
        raise ProblemError(GRANT_EXISTS)
    row = await repository.add_grant(
        session, user_id=user.id, role=role, unit_id=unit_id, granted_by=actor_of(claims)
    )
    await _audit(session, "grant.added", row, claims)
    return row


async def _live_admins_at(session: AsyncSession, unit_id: uuid.UUID) -> int:
    stmt = sa.select(sa.func.count()).where(
        col(GrantRow.unit_id) == unit_id,
        col(GrantRow.role) == OfficialRole.ADMIN,
        col(GrantRow.revoked_at).is_(None),
    )
    return int(await session.scalar(stmt) or 0)


async def revoke(
    session: AsyncSession, claims: Claims, user_id: uuid.UUID, grant_id: uuid.UUID, tree: UnitTree
) -> GrantRow:
    """Revoke a grant (kept as history); revoking a revoked one changes nothing."""
    row = await repository.get_grant(session, user_id, grant_id)
    if row is None:
        raise ProblemError(NOT_FOUND, NO_SUCH_GRANT)
    require_admin_over(claims, row.unit_id, tree, hidden=True)
    if row.revoked_at is not None:
        return row
    at_root = tree.parent_of(row.unit_id) is None
    if (
        row.role == OfficialRole.ADMIN
        and at_root
        and await _live_admins_at(session, row.unit_id) <= 1
    ):
        raise ProblemError(LAST_ADMIN)  # nobody could manage the root any more
    row = await repository.revoke_grant(session, row, revoked_by=actor_of(claims))
    await _audit(session, "grant.revoked", row, claims)
    return row
