"""The caller's own account: profile with grants, password change."""

from __future__ import annotations

from ppid_kit.problems import FieldError, ProblemError
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.accounts import errors, lockout, passwords, repository
from auth_service.accounts.models import User
from auth_service.accounts.schemas import PasswordChange, UserPublic
from auth_service.accounts.service import (
    LoginRefused,
    audit_own,
    count_failure,
    refuse_while_locked,
)
from auth_service.grants.models import GrantPublic, GrantRow
from auth_service.grants.repository import active_grant_rows
from auth_service.settings import AuthSettings
from auth_service.tokens.service import TokenResponse, issue_for_user, revoke_user_sessions


def user_public(user: User, grants: list[GrantRow]) -> UserPublic:
    return UserPublic(
        id=user.id,
        kind=user.kind,
        email=user.email,
        name=user.name,
        is_active=user.is_active,
        email_verified_at=user.email_verified_at,
        mfa_enabled=user.mfa_enabled,
        created_at=user.created_at,
        updated_at=user.updated_at,
        grants=[GrantPublic.model_validate(row, from_attributes=True) for row in grants],
    )


async def profile(session: AsyncSession, user: User) -> UserPublic:
    return user_public(user, await active_grant_rows(session, user.id))


async def _check_current(
    session: AsyncSession, settings: AuthSettings, user: User, keys: lockout.LoginKeys, given: str
) -> None:
    """The current password, guarded by the login lockout: a stolen token cannot guess it."""
    await refuse_while_locked(session, keys)
    if user.password_hash and await passwords.verify_password(user.password_hash, given):
        return
    await count_failure(session, settings, keys)
    await audit_own(session, "password.change_failed", user, reason="current_password")
    raise LoginRefused(ProblemError(errors.WRONG_PASSWORD))


async def change_password(
    session: AsyncSession, settings: AuthSettings, user: User, body: PasswordChange, address: str
) -> TokenResponse:
    """New password; every session of the user ends, this one continues with new tokens."""
    keys = lockout.login_keys(settings, user.email, address)
    await _check_current(session, settings, user, keys, body.current_password)
    if body.new_password == body.current_password:
        error = FieldError("new_password", errors.SAME_PASSWORD)
        raise ProblemError(passwords.WEAK_PASSWORD, errors.SAME_PASSWORD, errors=[error])
    passwords.check_password_policy(
        body.new_password, email=user.email, name=user.name, field="new_password"
    )
    user.password_hash = await passwords.hash_password(body.new_password)
    await repository.save(session, user)
    await lockout.clear_account(session, keys)
    await revoke_user_sessions(session, user.id, actor=user.id)
    await audit_own(session, "password.changed", user)
    return await issue_for_user(session, user)
