"""A requester's own account: read, change, erase (PDP rights of access, correction, erasure).

DOMAIN.md 17: erasure removes the personal fields; the user id stays, because the
requests service's records (which the law makes it keep) refer to it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from ppid_kit.audit import write_audit
from ppid_kit.outbox.repository import cancel_pending_to
from ppid_kit.problems import FORBIDDEN, NOT_FOUND, RATE_LIMITED, ProblemError, Text
from ppid_kit.tokens import Claims
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.accounts import errors, lockout
from auth_service.accounts.models import User
from auth_service.accounts.passwords import verify_password
from auth_service.accounts.service import LoginRefused, count_failure, refuse_while_locked
from auth_service.requesters import emails, repository, service
from auth_service.requesters.models import ProfileUpdate, RequesterPublic, TokenPurpose
from auth_service.settings import AuthSettings
from auth_service.tokens.service import revoke_user_sessions

_NOT_REQUESTER = Text(
    "Hanya akun pemohon yang dapat memakai ini.", "Only requesters' accounts can use this."
)
_GONE = Text("Akun tidak ditemukan.", "No such account.")


def tombstone(user_id: uuid.UUID) -> str:
    """What an erased account's email becomes: unique, lower-case, undeliverable (RFC 2606)."""
    return f"deleted-{user_id}@erased.invalid"


async def me(session: AsyncSession, claims: Claims, *, lock: bool = True) -> User:
    """The caller's own live requester account, locked (unless told) for the request."""
    if claims.typ != "requester":
        raise ProblemError(FORBIDDEN, _NOT_REQUESTER)
    try:
        user_id = uuid.UUID(claims.sub)
    except ValueError:
        raise ProblemError(FORBIDDEN, _NOT_REQUESTER) from None
    user = await repository.requester_by_id(session, user_id, lock=lock)
    if user is None or not user.is_active:
        raise ProblemError(NOT_FOUND, _GONE)
    return user


async def public(session: AsyncSession, user: User) -> RequesterPublic:
    profile = await repository.profile_of(session, user.id)
    return RequesterPublic(
        id=user.id,
        email=user.email,
        name=user.name,
        phone=None if profile is None else profile.phone,
        email_verified_at=user.email_verified_at,
        created_at=user.created_at,
    )


async def update(
    session: AsyncSession, settings: AuthSettings, user: User, changes: ProfileUpdate
) -> None:
    """Apply the fields sent; a new email address waits for its link to be followed."""
    fields = []
    if changes.name is not None:
        user.name = changes.name.strip()
        fields.append("name")
    if "phone" in changes.model_fields_set:  # an explicit null removes the number
        await repository.set_phone(session, user.id, changes.phone)
        fields.append("phone")
    if fields:
        await session.flush()
        await _audit_update(session, user.id, fields)
    if changes.email is not None:
        await _request_email_change(session, settings, user, service.normalize_email(changes.email))


async def _audit_update(session: AsyncSession, user_id: uuid.UUID, fields: list[str]) -> None:
    await write_audit(
        session,
        action="requester.profile_updated",
        object_type="requester",
        object_id=user_id,
        actor_id=user_id,
        actor_type="requester",
        details={"fields": fields},  # the names of the fields, never their values
    )


async def _request_email_change(
    session: AsyncSession, settings: AuthSettings, user: User, address: str
) -> None:
    if address == user.email:
        return
    if await service.rate_limited(session, user.id, TokenPurpose.VERIFY):
        raise ProblemError(RATE_LIMITED, headers={"Retry-After": "3600"})
    if await repository.email_taken(session, address, besides=user.id):
        # The owner of that address learns of the attempt; the caller learns nothing.
        await service.send_notice(session, address, emails.existing_account())
    else:
        await repository.retire_tokens(session, user.id, TokenPurpose.VERIFY)
        await service.send_verification(session, settings, user.id, address)
    await service.send_notice(session, user.email, emails.email_change_requested())
    await service.audit(session, "requester.email_change_requested", user.id)


async def check_password(
    session: AsyncSession, settings: AuthSettings, user: User, password: str, client: str
) -> None:
    """The password, guarded by the login lockout: a stolen access token cannot guess it.

    Raises `LoginRefused`, which the route returns rather than raises, so the counted
    failure is committed.
    """
    keys = lockout.login_keys(settings, user.email, client)
    await refuse_while_locked(session, keys)
    if user.password_hash and await verify_password(user.password_hash, password):
        return
    await count_failure(session, settings, keys)
    await service.audit(session, "requester.deletion_refused", user.id)
    raise LoginRefused(ProblemError(errors.WRONG_PASSWORD))


async def erase(session: AsyncSession, settings: AuthSettings, user: User) -> None:
    """Delete the account: personal fields go, the id stays; sessions end; one goodbye email.

    The caller has checked the password (`check_password`).
    """
    address = user.email
    await cancel_pending_to(session, address)
    await repository.delete_tokens(session, user.id)
    await repository.delete_profile(session, user.id)
    user.email, user.name, user.password_hash = tombstone(user.id), "", None
    user.is_active, user.email_verified_at = False, None
    user.totp_secret_enc, user.totp_confirmed_at, user.totp_last_step = None, None, None
    user.deleted_at = datetime.now(UTC)
    await session.flush()
    await revoke_user_sessions(session, user.id, actor=user.id)
    await lockout.clear_account(session, lockout.login_keys(settings, address, ""))
    await service.audit(session, "requester.deleted", user.id)
    await service.send_notice(session, address, emails.account_deleted())
