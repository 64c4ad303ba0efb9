"""Signing keys: the active one, rotation, and what the JWKS publishes.

`python -m auth_service.tokens.keys rotate [--alg ES256|RS256]` rotates from the
command line with the `AUTH_*` settings; the service rotates by age on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from ppid_kit.audit import write_audit
from ppid_kit.db import add_and_refresh, create_engine
from ppid_kit.tokens import generate_private_key_pem, public_jwk
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.settings import AuthSettings
from auth_service.tokens.config import TokenConfig, bind_config, config_for
from auth_service.tokens.models import SigningKey
from auth_service.tokens.sealing import seal, unseal

ALGORITHMS = ("ES256", "RS256")  # python-jose 3.5 has no EdDSA (issue 3, item 5)
# Serialises key creation and rotation across replicas and the CLI (any constant works).
_KEY_LOCK = 0x7E5B_0C4A_4B45_5953


async def _lock(session: AsyncSession) -> None:
    await session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _KEY_LOCK})


async def active_key(session: AsyncSession) -> SigningKey | None:
    """The key that signs now, if one exists."""
    stmt = sa.select(SigningKey).where(col(SigningKey.retired_at).is_(None))
    return (await session.scalars(stmt)).first()


async def _create_key(session: AsyncSession, alg: str) -> SigningKey:
    if alg not in ALGORITHMS:
        raise ValueError(f"unsupported algorithm {alg!r}; use one of {ALGORITHMS}")
    kid = f"{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(6)}"
    pem = generate_private_key_pem(alg)
    key = SigningKey(
        kid=kid,
        alg=alg,
        private_key_enc=seal(config_for(session).kek, pem, context=kid),
        public_jwk=public_jwk(pem, kid=kid, algorithm=alg),
    )
    return await add_and_refresh(session, key)


async def ensure_active_key(session: AsyncSession, *, alg: str = "ES256") -> SigningKey:
    """The active key, created on first use (a fresh deployment has none)."""
    found = await active_key(session)
    if found is not None:
        return found
    await _lock(session)
    found = await active_key(session)  # another replica may have made it meanwhile
    if found is not None:
        return found
    key = await _create_key(session, alg)
    await _audit_rotation(session, key.kid, retired=None, reason="first key")
    return key


async def rotate(session: AsyncSession, *, alg: str = "ES256", reason: str = "manual") -> str:
    """Retire the active key (it stays published a while) and activate a new one; its kid."""
    await _lock(session)
    retired = await session.scalar(
        sa.update(SigningKey)
        .where(col(SigningKey.retired_at).is_(None))
        .values(retired_at=sa.func.now())
        .returning(col(SigningKey.kid))
    )
    key = await _create_key(session, alg)
    await _audit_rotation(session, key.kid, retired=retired, reason=reason)
    return key.kid


async def rotate_if_due(session: AsyncSession) -> str | None:
    """Rotate when the active key is older than AUTH_KEY_ROTATION_DAYS; the new kid if so."""
    await _lock(session)
    current = await active_key(session)
    if current is None:
        return (await ensure_active_key(session)).kid
    age_limit = sa.func.now() - config_for(session).rotation_age
    due = await session.scalar(
        sa.select(col(SigningKey.activated_at) <= age_limit).where(
            col(SigningKey.kid) == current.kid
        )
    )
    if not due:
        return None
    return await rotate(session, alg=current.alg, reason="age")


async def published_keys(session: AsyncSession) -> list[SigningKey]:
    """The active key and retired ones whose last tokens may still be valid, newest first."""
    horizon = sa.func.now() - config_for(session).publish_window
    stmt = (
        sa.select(SigningKey)
        .where(sa.or_(col(SigningKey.retired_at).is_(None), col(SigningKey.retired_at) > horizon))
        .order_by(col(SigningKey.activated_at).desc(), col(SigningKey.kid))
    )
    return list((await session.scalars(stmt)).all())


def private_key_pem(session: AsyncSession, key: SigningKey) -> str:
    return unseal(config_for(session).kek, key.private_key_enc, context=key.kid)


async def _audit_rotation(
    session: AsyncSession, kid: str, *, retired: str | None, reason: str
) -> None:
    details: dict[str, Any] = {"retired_kid": retired, "reason": reason}
    await write_audit(
        session,
        action="signing_key.rotated",
        object_type="signing_key",
        object_id=kid,
        actor_type="system",
        details=details,
    )


async def _rotate_from_cli(settings: AuthSettings, alg: str) -> str:
    engine = create_engine(settings.database_url, pool_size=1)
    bind_config(engine, TokenConfig.from_settings(settings))
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            return await rotate(session, alg=alg, reason="manual")
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m auth_service.tokens.keys")
    commands = parser.add_subparsers(dest="command", required=True)
    rotate_cmd = commands.add_parser("rotate", help="activate a new signing key now")
    rotate_cmd.add_argument("--alg", choices=ALGORITHMS, default="ES256")
    args = parser.parse_args(argv)
    kid = asyncio.run(_rotate_from_cli(AuthSettings(), args.alg))
    print(f"active signing key: {kid}")  # the kid is public (it is in every token header)


if __name__ == "__main__":
    main()
