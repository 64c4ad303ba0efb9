"""Login: password, lockout, second factor, then tokens (issue 3, items 2 and 6).

A refused login still commits: the failure counts and the audit rows must stick, so
refusals are raised as `LoginRefused` and the route answers them without rolling back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ppid_kit.audit import write_audit
from ppid_kit.problems import RATE_LIMITED, ProblemError, ProblemKind
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.accounts import errors, lockout, mfa, passwords, repository
from auth_service.accounts.lockout import Block, BlockReason, LoginKeys
from auth_service.accounts.models import User, UserKind
from auth_service.accounts.schemas import LoginRequest
from auth_service.grants.repository import active_grants
from auth_service.settings import AuthSettings
from auth_service.tokens.service import MFA_ENROLL_SCOPE, TokenResponse, issue_for_user


class LoginRefused(Exception):
    """A refused login whose side effects (counts, audit) are kept."""

    def __init__(self, problem: ProblemError) -> None:
        super().__init__(problem.kind.slug)
        self.problem = problem


@dataclass(frozen=True)
class Attempt:
    settings: AuthSettings
    body: LoginRequest
    keys: LoginKeys


def _blocked(block: Block) -> LoginRefused:
    kind = errors.ACCOUNT_LOCKED if block.reason == BlockReason.ACCOUNT else RATE_LIMITED
    return LoginRefused(ProblemError(kind, headers={"Retry-After": str(block.retry_after)}))


async def refuse_while_locked(session: AsyncSession, keys: LoginKeys) -> None:
    """Guard a check of a secret (password, code) by the login lockout."""
    block = await lockout.current_block(session, keys)
    if block is not None:
        retry = {"Retry-After": str(block.retry_after)}
        raise LoginRefused(ProblemError(errors.ACCOUNT_LOCKED, headers=retry))


async def count_failure(session: AsyncSession, settings: AuthSettings, keys: LoginKeys) -> None:
    """A wrong secret counts against both the address and the account."""
    await lockout.record_address_failure(session, settings, keys)
    await lockout.record_account_failure(session, settings, keys)


async def audit_own(session: AsyncSession, action: str, user: User, **details: object) -> None:
    """An audit row of a user acting on their own account."""
    await write_audit(
        session,
        action=action,
        object_type="user",
        object_id=user.id,
        actor_id=user.id,
        actor_type="user",
        details=details,
    )


async def _audit(
    session: AsyncSession, action: str, user: User | None, keys: LoginKeys, **details: Any
) -> None:
    # An unknown email is named by its keyed hash: never the email itself.
    object_id = str(user.id) if user else f"account-key:{keys.account[:16]}"
    await write_audit(
        session,
        action=action,
        object_type="user",
        object_id=object_id,
        actor_id=None if user is None else user.id,
        actor_type=None if user is None else "user",
        details=details,
    )


async def _fail(
    session: AsyncSession, attempt: Attempt, user: User | None, reason: str, kind: ProblemKind
) -> LoginRefused:
    """Count a failure against account and address; the refusal to raise (locked if now so)."""
    await lockout.record_address_failure(session, attempt.settings, attempt.keys)
    block = await lockout.record_account_failure(session, attempt.settings, attempt.keys)
    failures = await lockout.failures_of(session, attempt.keys)
    await _audit(session, "login.failed", user, attempt.keys, reason=reason, failures=failures)
    if block is None:
        return LoginRefused(ProblemError(kind))
    await _audit(session, "login.locked", user, attempt.keys, seconds=block.retry_after)
    return _blocked(block)


async def _check_password(session: AsyncSession, attempt: Attempt) -> User:
    """The active user whose password this is, else a counted failure (same answer for all)."""
    user = await repository.get_by_email(session, attempt.body.email)
    if user is None or user.password_hash is None:
        await passwords.burn_verification(attempt.body.password)  # as slow as a real check
        raise await _fail(session, attempt, None, "credentials", errors.INVALID_CREDENTIALS)
    matches = await passwords.verify_password(user.password_hash, attempt.body.password)
    if not matches or not user.is_active or user.deleted_at is not None:
        raise await _fail(session, attempt, user, "credentials", errors.INVALID_CREDENTIALS)
    return user


async def _second_factor(session: AsyncSession, attempt: Attempt, user: User) -> str:
    """Check `otp` or `recovery_code`; which one was used, for the audit."""
    body, master = attempt.body, attempt.settings.key_encryption_key.get_secret_value()
    if body.otp is None and body.recovery_code is None:
        raise LoginRefused(ProblemError(errors.MFA_REQUIRED))
    if body.otp is not None:
        secret = mfa.open_secret(master, user)
        step = None if secret is None else mfa.matching_step(secret, body.otp)
        if step is not None and await mfa.claim_step(session, user, step):
            return "totp"
        raise await _fail(session, attempt, user, "otp", errors.INVALID_OTP)
    assert body.recovery_code is not None
    if not await mfa.use_recovery_code(session, user.id, body.recovery_code):
        raise await _fail(session, attempt, user, "recovery_code", errors.INVALID_OTP)
    left = await mfa.unused_recovery_codes(session, user.id)
    await _audit(session, "mfa.recovery_code_used", user, attempt.keys, remaining=left)
    return "recovery_code"


async def needs_mfa(session: AsyncSession, settings: AuthSettings, user: User) -> bool:
    """An official holding a role of AUTH_MFA_REQUIRED_ROLES anywhere (issue 3, item 2)."""
    if user.kind != UserKind.OFFICIAL:
        return False
    required = set(settings.mfa_required_roles)
    return any(grant.role in required for grant in await active_grants(session, user.id))


async def _enrolment_only(session: AsyncSession, attempt: Attempt, user: User) -> LoginRefused:
    """No full session before TOTP is set up: a token good only for the enrolment routes."""
    token = await issue_for_user(session, user, scope=MFA_ENROLL_SCOPE)
    await _audit(session, "login.mfa_enrollment_required", user, attempt.keys)
    extra = {"enrollment_token": token.access_token, "expires_in": token.expires_in}
    return LoginRefused(ProblemError(errors.MFA_ENROLLMENT_REQUIRED, extra=extra))


async def login(
    session: AsyncSession, settings: AuthSettings, body: LoginRequest, address: str
) -> TokenResponse:
    """Tokens for a good login; raises `LoginRefused` otherwise."""
    attempt = Attempt(settings, body, lockout.login_keys(settings, body.email, address))
    block = await lockout.current_block(session, attempt.keys)
    if block is not None:
        # Refused before the password is looked at: a lock says nothing about it.
        await lockout.record_address_failure(session, settings, attempt.keys)
        await _audit(session, "login.failed", None, attempt.keys, reason=f"{block.reason}-locked")
        raise _blocked(block)
    user = await _check_password(session, attempt)
    if user.kind == UserKind.REQUESTER and user.email_verified_at is None:
        raise LoginRefused(ProblemError(errors.EMAIL_NOT_VERIFIED))
    method = "password"
    if user.mfa_enabled:
        method += "+" + await _second_factor(session, attempt, user)
    elif await needs_mfa(session, settings, user):
        await lockout.clear_account(session, attempt.keys)
        raise await _enrolment_only(session, attempt, user)
    return await _succeed(session, attempt, user, method)


async def _succeed(
    session: AsyncSession, attempt: Attempt, user: User, method: str
) -> TokenResponse:
    await lockout.clear_account(session, attempt.keys)
    assert user.password_hash is not None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = await passwords.hash_password(attempt.body.password)
        await repository.save(session, user)
    await _audit(session, "login.succeeded", user, attempt.keys, method=method)
    return await issue_for_user(session, user)
