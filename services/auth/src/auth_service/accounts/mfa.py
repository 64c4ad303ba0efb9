"""TOTP (RFC 6238) and one-time recovery codes.

30-second steps, 6 digits, SHA-1 (what every authenticator app supports), one step
of clock drift either way (RFC 6238 section 6). A code is accepted once: the last
used step is stored and only later steps pass (RFC 6238 section 5.2).
"""

from __future__ import annotations

import hmac
import secrets
import time
import uuid

import pyotp
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.accounts import crypto
from auth_service.accounts.models import MfaRecoveryCode, User

STEP_SECONDS = 30
DIGITS = 6
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read from paper


def new_secret() -> str:
    """160 random bits, base32 (RFC 4226 section 4 recommends 160)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time step within the window whose code is `code`, or None."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = totp.timecode(time.time() if at is None else at)
    found: int | None = None
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        # Every step is compared (no early exit): the time taken says nothing.
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


async def claim_step(session: AsyncSession, user: User, step: int) -> bool:
    """Record `step` as used unless it (or a later one) already was; atomic across replicas."""
    stmt = (
        sa.update(User)
        .where(
            col(User.id) == user.id,
            sa.or_(col(User.totp_last_step).is_(None), col(User.totp_last_step) < step),
        )
        .values(totp_last_step=step)
        .returning(col(User.id))
        .execution_options(synchronize_session=False)
    )
    claimed = (await session.execute(stmt)).first() is not None
    await session.refresh(user, ["totp_last_step", "updated_at"])
    return claimed


def seal_secret(master_b64: str, user_id: uuid.UUID, secret: str) -> str:
    return crypto.seal(crypto.totp_key(master_b64), secret, context=str(user_id))


def open_secret(master_b64: str, user: User) -> str | None:
    if user.totp_secret_enc is None:
        return None
    return crypto.unseal(crypto.totp_key(master_b64), user.totp_secret_enc, context=str(user.id))


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))  # 16 * 5 = 80 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


async def replace_recovery_codes(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    """Drop the user's codes and store ten new ones (hashed); the plain codes are shown once."""
    await session.execute(sa.delete(MfaRecoveryCode).where(col(MfaRecoveryCode.user_id) == user_id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    session.add_all(
        MfaRecoveryCode(user_id=user_id, code_hash=crypto.sha256_hex(_normalise_recovery(code)))
        for code in codes
    )
    await session.flush()
    return codes


async def drop_recovery_codes(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(sa.delete(MfaRecoveryCode).where(col(MfaRecoveryCode.user_id) == user_id))


async def use_recovery_code(session: AsyncSession, user_id: uuid.UUID, code: str) -> bool:
    """Spend one unused code; atomic, so two replicas cannot both accept it."""
    stmt = (
        sa.update(MfaRecoveryCode)
        .where(
            col(MfaRecoveryCode.user_id) == user_id,
            col(MfaRecoveryCode.code_hash) == crypto.sha256_hex(_normalise_recovery(code)),
            col(MfaRecoveryCode.used_at).is_(None),
        )
        .values(used_at=sa.func.now())
        .returning(col(MfaRecoveryCode.id))
        .execution_options(synchronize_session=False)
    )
    return (await session.execute(stmt)).first() is not None


async def unused_recovery_codes(session: AsyncSession, user_id: uuid.UUID) -> int:
    stmt = sa.select(sa.func.count()).where(
        col(MfaRecoveryCode.user_id) == user_id, col(MfaRecoveryCode.used_at).is_(None)
    )
    return int(await session.scalar(stmt) or 0)
