"""Issuing and revoking tokens: what the other auth packages call (docs/auth-contract.md).

Access tokens are short-lived JWTs signed with the active key; refresh tokens are
opaque, stored as SHA-256, rotated on every use; a used one presented again revokes
its whole family (issue 3, item 5).
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any, Final

from ppid_kit.audit import write_audit
from ppid_kit.tokens import sign_token
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.accounts.models import User
from auth_service.clients.models import ApiClient
from auth_service.clients.scopes import format_scope, parse_scope
from auth_service.grants.repository import active_grants
from auth_service.tokens import repository
from auth_service.tokens.config import config_for
from auth_service.tokens.keys import ensure_active_key, private_key_pem
from auth_service.tokens.models import RefreshToken, TokenResponse
from auth_service.tokens.sealing import new_opaque_token

__all__ = [
    "MFA_ENROLL_SCOPE",
    "USER_SCOPES",
    "InvalidGrantError",
    "InvalidScopeError",
    "TokenResponse",
    "issue_for_client",
    "issue_for_user",
    "refresh_session",
    "revoke_refresh_token",
    "revoke_user_sessions",
]

# A restricted token: an official who must enrol TOTP first gets only this (no grants).
MFA_ENROLL_SCOPE: Final = "mfa:enroll"
USER_SCOPES: Final = frozenset({MFA_ENROLL_SCOPE})


class InvalidGrantError(Exception):
    """RFC 6749 §5.2 `invalid_grant`; the reason is for the audit log and the description."""


class InvalidScopeError(Exception):
    """RFC 6749 §5.2 `invalid_scope`: asked for more than the client holds."""


async def _sign(session: AsyncSession, claims: dict[str, Any]) -> str:
    key = await ensure_active_key(session)
    return sign_token(claims, private_key_pem(session, key), kid=key.kid, algorithm=key.alg)


def _claims(session: AsyncSession, sub: str, typ: str, **extra: Any) -> dict[str, Any]:
    config = config_for(session)
    now = int(time.time())
    base = {"iss": config.issuer, "aud": config.audience, "sub": sub, "typ": typ}
    times = {"iat": now, "nbf": now, "exp": now + config.access_ttl, "jti": uuid.uuid4().hex}
    return {**base, **times, **extra}


async def _access_token_for(session: AsyncSession, user: User, scope: str | None) -> str:
    # A restricted token carries no grants, so nothing grant-based accepts it.
    grants = [] if scope else await active_grants(session, user.id)
    claims = _claims(
        session, str(user.id), user.kind.value, grants=[g.model_dump() for g in grants]
    )
    if scope:
        claims["scope"] = scope
    return await _sign(session, claims)


async def _new_refresh_token(
    session: AsyncSession, user: User, *, family_id: uuid.UUID, client_id: str | None
) -> str:
    raw = new_opaque_token()
    expires_at = datetime.now(UTC) + config_for(session).refresh_ttl
    await repository.add_refresh_token(
        session,
        raw,
        family_id=family_id,
        user_id=user.id,
        client_id=client_id,
        expires_at=expires_at,
    )
    return raw


async def issue_for_user(
    session: AsyncSession,
    user: User,
    *,
    client_id: str | None = None,
    scope: str | None = None,
) -> TokenResponse:
    """Access JWT plus a new refresh-token family for `user`; restricted (`scope`) ones get none."""
    if scope is not None and scope not in USER_SCOPES:
        raise ValueError(f"not a user scope: {scope!r}")
    access = await _access_token_for(session, user, scope)
    refresh = None
    if scope is None:
        refresh = await _new_refresh_token(
            session, user, family_id=uuid.uuid4(), client_id=client_id
        )
    ttl = config_for(session).access_ttl
    return TokenResponse(access_token=access, expires_in=ttl, refresh_token=refresh, scope=scope)


def granted_scopes(client: ApiClient, requested: str | None) -> set[str]:
    """RFC 6749 §3.3: the requested scopes when all are the client's; all of them when none."""
    wanted = parse_scope(requested)
    if wanted is None:
        return set(client.scopes)
    if not wanted <= set(client.scopes):
        raise InvalidScopeError(format_scope(wanted - set(client.scopes)))
    return wanted


async def issue_for_client(
    session: AsyncSession, client: ApiClient, *, scope: str | None = None
) -> TokenResponse:
    """Client credentials grant: an access JWT with the client's scopes, no refresh token."""
    scopes = format_scope(granted_scopes(client, scope))
    claims = _claims(session, client.client_id, "client", grants=[])
    claims.update(client_id=client.client_id, scope=scopes, tier=client.rate_limit_tier.value)
    access = await _sign(session, claims)
    await write_audit(
        session,
        action="token.issued",
        object_type="api_client",
        object_id=client.client_id,
        actor_id=client.client_id,
        actor_type="client",
        unit_id=client.root_id,
        details={"grant_type": "client_credentials", "scope": scopes},
    )
    return TokenResponse(
        access_token=access, expires_in=config_for(session).access_ttl, scope=scopes
    )


async def revoke_user_sessions(
    session: AsyncSession, user_id: uuid.UUID, *, actor: str | uuid.UUID | None
) -> int:
    """Revoke every live refresh-token family of `user_id`; how many families."""
    families = await repository.revoke_user_families(session, user_id)
    await write_audit(
        session,
        action="sessions.revoked",
        object_type="user",
        object_id=user_id,
        actor_id=actor,
        actor_type=None if actor is None else "user",
        details={"families": len(families)},
    )
    return len(families)


async def refresh_session(
    session: AsyncSession, raw: str, *, client_id: str | None = None
) -> TokenResponse:
    """Rotate `raw`: mark it used, issue its successor in the same family.

    Raises `InvalidGrantError`; the caller must still commit (a detected reuse has
    revoked the family, and that must stick although the answer is an error).
    """
    row = await repository.find_for_update(session, raw)
    if row is None:
        raise InvalidGrantError("unknown")
    if row.used_at is not None or row.revoked_at is not None:
        await _reuse_detected(session, row)
        raise InvalidGrantError("reused")
    if row.expires_at <= datetime.now(UTC):
        raise InvalidGrantError("expired")
    if client_id is not None and row.client_id is not None and client_id != row.client_id:
        raise InvalidGrantError("other client")  # RFC 6749 §6: bound to its client
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active or user.deleted_at is not None:
        await repository.revoke_family(session, row.family_id)
        raise InvalidGrantError("account inactive")
    await repository.mark_used(session, row)
    access = await _access_token_for(session, user, None)
    successor = await _new_refresh_token(
        session, user, family_id=row.family_id, client_id=row.client_id
    )
    ttl = config_for(session).access_ttl
    return TokenResponse(access_token=access, expires_in=ttl, refresh_token=successor)


async def _reuse_detected(session: AsyncSession, row: RefreshToken) -> None:
    """A token presented twice: someone holds a copy. End the whole login (issue 3, item 5)."""
    revoked = await repository.revoke_family(session, row.family_id)
    await write_audit(
        session,
        action="token.reuse_detected",
        object_type="user",
        object_id=row.user_id,
        actor_type="system",
        details={
            "family_id": str(row.family_id),
            "state": "used" if row.used_at is not None else "revoked",
            "revoked_now": revoked,
        },
    )


async def revoke_refresh_token(session: AsyncSession, raw: str, *, action: str) -> bool:
    """Revoke the login (family) of `raw`; False when `raw` is not one of our refresh tokens."""
    row = await repository.find_for_update(session, raw)
    if row is None:
        return False
    revoked = await repository.revoke_family(session, row.family_id)
    await write_audit(
        session,
        action=action,
        object_type="user",
        object_id=row.user_id,
        actor_id=row.user_id,
        actor_type="user",
        details={"family_id": str(row.family_id), "revoked_now": revoked},
    )
    return True
