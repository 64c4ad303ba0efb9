"""Registration, email verification and password reset of requesters (issue 3, part 3).

Every answer that takes an email address is the same whether or not an account
exists (no account enumeration); what differs is only the email that is sent.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from ppid_kit.audit import write_audit
from ppid_kit.outbox import enqueue_email
from ppid_kit.problems import ProblemError, register_kind
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.accounts import lockout
from auth_service.accounts.models import User, UserKind
from auth_service.accounts.passwords import check_password_policy, hash_password
from auth_service.requesters import emails, repository
from auth_service.requesters.models import PasswordResetConfirmation, Registration, TokenPurpose
from auth_service.settings import AuthSettings
from auth_service.tokens.service import revoke_user_sessions

VERIFY_TTL = timedelta(hours=24)
RESET_TTL = timedelta(hours=1)
# Links one account may be sent per purpose and hour: no mail-bombing through our server.
LINKS_PER_HOUR = 3

INVALID_LINK = register_kind(
    "invalid-link",
    400,
    "Tautan tidak berlaku",
    "The link is not valid",
    detail_id="Tautan sudah dipakai, sudah kedaluwarsa, atau tidak dikenal. Mintalah tautan baru.",
    detail_en="The link was used already, has expired, or is unknown. Ask for a new one.",
)

EMAIL_TAKEN = register_kind(
    "email-taken",
    409,
    "Alamat email sudah dipakai",
    "The email address is taken",
    detail_id="Alamat ini kini dipakai akun lain; akun Anda tetap memakai alamat lama.",
    detail_en="Another account uses this address now; yours keeps its old address.",
)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def awaiting_verification(user: User) -> bool:
    """A requester who registered but has not confirmed the address yet."""
    return (
        user.kind == UserKind.REQUESTER
        and user.email_verified_at is None
        and user.deleted_at is None
        and user.is_active
    )


def _live_requester(user: User | None) -> User | None:
    if user is None or user.kind != UserKind.REQUESTER:
        return None
    return user if user.deleted_at is None and user.is_active else None


async def audit(session: AsyncSession, action: str, user_id: uuid.UUID) -> None:
    """A requester's own action on their account; no personal data in the record."""
    await write_audit(
        session,
        action=action,
        object_type="requester",
        object_id=user_id,
        actor_id=user_id,
        actor_type="requester",
    )


async def rate_limited(session: AsyncSession, user_id: uuid.UUID, purpose: TokenPurpose) -> bool:
    recent = await repository.recent_token_count(session, user_id, purpose, timedelta(hours=1))
    return recent >= LINKS_PER_HOUR


async def send_verification(
    session: AsyncSession, settings: AuthSettings, user_id: uuid.UUID, address: str
) -> None:
    """Mail a link confirming `address` for the account (a new account's, or a new address)."""
    token = await repository.issue_token(
        session, user_id, TokenPurpose.VERIFY, VERIFY_TTL, email=address
    )
    link = emails.link_with_token(settings.email_link_base, token)
    hours = int(VERIFY_TTL.total_seconds() // 3600)
    await send_notice(session, address, emails.verification(link, hours=hours))


async def send_notice(session: AsyncSession, address: str, email: emails.Email) -> None:
    await enqueue_email(
        session, to=address, subject=email.subject, text=email.text, html=email.html
    )


async def register(session: AsyncSession, settings: AuthSettings, data: Registration) -> None:
    """New address: an account and a link. Unconfirmed account: renewed, with a new link.

    Anything else: a notice to the address. The latest registration of an unconfirmed
    address wins and earlier links die, so whoever registered someone else's address
    first gains nothing (pre-hijacking): only the mailbox's owner can confirm.
    """
    email, name = normalize_email(data.email), data.name.strip()
    check_password_policy(data.password, email=email, name=name)
    password_hash = await hash_password(data.password)  # in every branch: timing tells nothing
    await repository.purge_stale(session)  # an abandoned registration frees its address
    user = await repository.user_by_email(session, email)
    if user is None:
        user = User(kind=UserKind.REQUESTER, email=email, name=name, password_hash=password_hash)
        if await repository.add_requester(session, user):
            await audit(session, "requester.registered", user.id)
            await send_verification(session, settings, user.id, email)
            return
        user = await repository.user_by_email(session, email)  # registered concurrently
        assert user is not None
    if not awaiting_verification(user):
        await send_notice(session, email, emails.existing_account())
    elif not await rate_limited(session, user.id, TokenPurpose.VERIFY):
        user.name, user.password_hash = name, password_hash
        await repository.retire_tokens(session, user.id, TokenPurpose.VERIFY)
        await audit(session, "requester.registration_renewed", user.id)
        await send_verification(session, settings, user.id, email)


async def verify_email(session: AsyncSession, token: str) -> None:
    """Confirm the address the link was sent to; a new address replaces the old one."""
    record = await repository.usable_token(session, token, TokenPurpose.VERIFY)
    user = None if record is None else await repository.requester_by_id(session, record.user_id)
    if record is None or user is None or not user.is_active:
        raise ProblemError(INVALID_LINK)
    address = record.email or user.email
    if address != user.email:
        await _change_email(session, user, address)
        user.email_verified_at = None
    user.email_verified_at = user.email_verified_at or datetime.now(UTC)
    await repository.retire_tokens(session, user.id, TokenPurpose.VERIFY)
    await audit(session, "requester.email_verified", user.id)


async def _change_email(session: AsyncSession, user: User, address: str) -> None:
    if not await repository.change_email(session, user, address):
        raise ProblemError(EMAIL_TAKEN)
    await audit(session, "requester.email_changed", user.id)


async def resend_verification(session: AsyncSession, settings: AuthSettings, email: str) -> None:
    await repository.purge_stale(session)
    user = await repository.user_by_email(session, normalize_email(email))
    if user is None or not awaiting_verification(user):
        return
    if not await rate_limited(session, user.id, TokenPurpose.VERIFY):
        await send_verification(session, settings, user.id, user.email)


async def request_password_reset(session: AsyncSession, settings: AuthSettings, email: str) -> None:
    """Mail a reset link to a live requester's address; nothing for any other address."""
    await repository.purge_stale(session)
    user = _live_requester(await repository.user_by_email(session, normalize_email(email)))
    if user is None or await rate_limited(session, user.id, TokenPurpose.RESET):
        return
    token = await repository.issue_token(session, user.id, TokenPurpose.RESET, RESET_TTL)
    link = emails.link_with_token(settings.password_reset_link_base, token)
    notice = emails.password_reset(link, minutes=int(RESET_TTL.total_seconds() // 60))
    await send_notice(session, user.email, notice)


async def confirm_password_reset(
    session: AsyncSession, settings: AuthSettings, data: PasswordResetConfirmation
) -> None:
    """New password; every session ends and the lockout is lifted (the mailbox is proven)."""
    record = await repository.usable_token(session, data.token, TokenPurpose.RESET)
    user = None if record is None else await repository.requester_by_id(session, record.user_id)
    if record is None or user is None or not user.is_active:
        raise ProblemError(INVALID_LINK)
    # Checked before the link is spent: a refused password leaves the link usable.
    check_password_policy(data.new_password, email=user.email, name=user.name, field="new_password")
    user.password_hash = await hash_password(data.new_password)
    user.email_verified_at = user.email_verified_at or datetime.now(UTC)
    await repository.retire_tokens(session, user.id, TokenPurpose.RESET)
    await revoke_user_sessions(session, user.id, actor=user.id)
    await lockout.clear_account(session, lockout.login_keys(settings, user.email, ""))
    await audit(session, "requester.password_reset", user.id)
    await send_notice(session, user.email, emails.password_changed())
