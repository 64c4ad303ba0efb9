"""Setting up, using and removing TOTP on one's own account (issue 3, item 2).

Every change goes to the audit log, never with the secret or a code. Wrong codes
count towards the account lockout: a stolen access token must not be enough to
guess a code and switch the second factor off.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ppid_kit.problems import ProblemError
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.accounts import errors, lockout, mfa, repository
from auth_service.accounts.models import User
from auth_service.accounts.schemas import MfaConfirmed, RecoveryCodes, TotpEnrolment
from auth_service.accounts.service import (
    LoginRefused,
    audit_own,
    count_failure,
    needs_mfa,
    refuse_while_locked,
)
from auth_service.settings import AuthSettings
from auth_service.tokens.service import issue_for_user


def _master(settings: AuthSettings) -> str:
    return settings.key_encryption_key.get_secret_value()


async def _require_code(
    session: AsyncSession, settings: AuthSettings, user: User, code: str, address: str
) -> None:
    """A current, unused code of the user's secret; a wrong one is a counted failure."""
    keys = lockout.login_keys(settings, user.email, address)
    await refuse_while_locked(session, keys)
    secret = mfa.open_secret(_master(settings), user)
    step = None if secret is None else mfa.matching_step(secret, code)
    if step is not None and await mfa.claim_step(session, user, step):
        return
    await count_failure(session, settings, keys)
    await audit_own(session, "mfa.code_rejected", user)
    raise LoginRefused(ProblemError(errors.OTP_REJECTED))


async def start(session: AsyncSession, settings: AuthSettings, user: User) -> TotpEnrolment:
    """A new secret, stored sealed and unconfirmed; shown this once."""
    if user.mfa_enabled:
        raise ProblemError(errors.MFA_ALREADY_ENABLED)
    secret = mfa.new_secret()
    user.totp_secret_enc = mfa.seal_secret(_master(settings), user.id, secret)
    user.totp_confirmed_at = None
    user.totp_last_step = None
    await repository.save(session, user)
    await audit_own(session, "mfa.totp_enrolment_started", user)
    uri = mfa.provisioning_uri(secret, account=user.email, issuer=settings.totp_issuer)
    return TotpEnrolment(secret=secret, otpauth_uri=uri)


async def confirm(
    session: AsyncSession,
    settings: AuthSettings,
    user: User,
    code: str,
    *,
    address: str,
    finishes_login: bool,
) -> MfaConfirmed:
    """The first code proves the app holds the secret: TOTP is on, recovery codes issued."""
    if user.mfa_enabled:
        raise ProblemError(errors.MFA_ALREADY_ENABLED)
    if user.totp_secret_enc is None:
        raise ProblemError(errors.MFA_NOT_STARTED)
    await _require_code(session, settings, user, code, address)
    user.totp_confirmed_at = datetime.now(UTC)
    await repository.save(session, user)
    codes = await mfa.replace_recovery_codes(session, user.id)
    await audit_own(session, "mfa.totp_enabled", user, recovery_codes=len(codes))
    # Password at login plus the new app's code: both factors, so a full session.
    tokens = await issue_for_user(session, user) if finishes_login else None
    return MfaConfirmed(recovery_codes=codes, tokens=tokens)


async def disable(
    session: AsyncSession, settings: AuthSettings, user: User, code: str, *, address: str
) -> None:
    """TOTP off, only with a current code and only when no role of the user needs it."""
    if not user.mfa_enabled:
        raise ProblemError(errors.MFA_NOT_ENABLED)
    if await needs_mfa(session, settings, user):
        raise ProblemError(errors.MFA_REQUIRED_BY_ROLE)
    await _require_code(session, settings, user, code, address)
    user.totp_secret_enc = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    await repository.save(session, user)
    await mfa.drop_recovery_codes(session, user.id)
    await audit_own(session, "mfa.totp_disabled", user)


async def regenerate(
    session: AsyncSession, settings: AuthSettings, user: User, code: str, *, address: str
) -> RecoveryCodes:
    """Ten new recovery codes; the old ones stop working."""
    if not user.mfa_enabled:
        raise ProblemError(errors.MFA_NOT_ENABLED)
    await _require_code(session, settings, user, code, address)
    codes = await mfa.replace_recovery_codes(session, user.id)
    await audit_own(session, "mfa.recovery_codes_regenerated", user, recovery_codes=len(codes))
    return RecoveryCodes(recovery_codes=codes)
