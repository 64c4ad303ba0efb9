"""The first admin of a root, made by an operator (nobody in the API can grant it)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from ppid_kit.audit import write_audit
from ppid_kit.problems import CONFLICT, NOT_FOUND, ProblemError, Text
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.accounts import repository as accounts
from auth_service.accounts.models import User, UserKind
from auth_service.accounts.passwords import check_password_policy, hash_password
from auth_service.grants import repository as grants
from auth_service.grants.models import OfficialRole
from auth_service.units import repository as units

OPERATOR = "operator"


@dataclass(frozen=True)
class NewAdmin:
    user_id: uuid.UUID
    password: str  # shown once to the operator; the admin changes it and enrols TOTP


async def create_admin(
    session: AsyncSession, *, root_id: uuid.UUID, email: str, name: str
) -> NewAdmin:
    """An official holding `admin` at the root; refused when the email is taken."""
    root = await units.get_unit(session, root_id)
    if root is None or root.parent_id is not None:
        raise ProblemError(NOT_FOUND, Text("Badan publik tidak ditemukan.", "No such root."))
    if await accounts.email_taken(session, email):
        raise ProblemError(CONFLICT, Text("Email sudah dipakai.", "The email is in use."))
    password = secrets.token_urlsafe(18)
    check_password_policy(password, email=email, name=name)
    user = User(kind=UserKind.OFFICIAL, email=email.lower(), name=name)
    user.password_hash = await hash_password(password)
    user.email_verified_at = datetime.now(UTC)
    await accounts.add_user(session, user)
    row = await grants.add_grant(
        session, user_id=user.id, role=OfficialRole.ADMIN, unit_id=root.id, granted_by=None
    )
    for action, kind, object_id in (
        ("official.created", "user", user.id),
        ("grant.added", "grant", row.id),
    ):
        await write_audit(
            session,
            action=action,
            object_type=kind,
            object_id=str(object_id),
            actor_id=OPERATOR,
            actor_type="system",
            unit_id=str(root.id),
            details={"source": "cli", "role": OfficialRole.ADMIN.value},
        )
    return NewAdmin(user.id, password)
