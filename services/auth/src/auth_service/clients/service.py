"""API clients: registration, changes, secret rotation, and client authentication."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import sqlalchemy as sa
from ppid_kit.audit import write_audit
from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.clients import repository
from auth_service.clients.models import ApiClient, ClientCreate, ClientUpdate
from auth_service.clients.scopes import SERVICE_ONLY_SCOPES
from auth_service.tokens.config import config_for
from auth_service.tokens.sealing import keyed_hash, new_opaque_token, same_hash

_SERVICE_ONLY = Text(
    "Cakupan ini hanya untuk akun layanan (is_service_account).",
    "This scope is for service accounts only (is_service_account).",
)
# Compared against when the client id is unknown, so both failures take the same time.
_NO_SUCH_HASH = "0" * 64


def _secret_hash(session: AsyncSession, secret: str) -> str:
    return keyed_hash(config_for(session).pepper, secret)


def _check_service_scopes(scopes: list[str], is_service_account: bool) -> None:
    if not is_service_account and SERVICE_ONLY_SCOPES.intersection(scopes):
        raise ProblemError(VALIDATION, errors=[FieldError("scopes", _SERVICE_ONLY)])


async def _audit(
    session: AsyncSession, action: str, client: ApiClient, actor: str | None, **details: Any
) -> None:
    await write_audit(
        session,
        action=action,
        object_type="api_client",
        object_id=client.client_id,
        actor_id=actor,
        actor_type=None if actor is None else "user",
        unit_id=client.root_id,
        details=details,
    )


async def authenticate(session: AsyncSession, client_id: str, secret: str) -> ApiClient | None:
    """The active client whose secret this is; None otherwise (never says which part failed)."""
    client = await repository.get_client(session, client_id[:64])
    expected = client.secret_hash if client is not None else _NO_SUCH_HASH
    matches = same_hash(expected, _secret_hash(session, secret))
    if client is None:
        return None  # not audited: anyone could fill the log with invented ids
    if not matches:
        await _audit(session, "client.auth_failed", client, None)
    return client if client.is_active and matches else None


async def create_client(
    session: AsyncSession, data: ClientCreate, *, actor: str | None
) -> tuple[ApiClient, str]:
    """Register a client; returns it with its secret, which is stored only as a hash.

    `actor` is the registering admin's user id; None for the system (the demo seed).
    """
    _check_service_scopes(data.scopes, data.is_service_account)
    secret = new_opaque_token()
    client = ApiClient(
        **data.model_dump(),
        client_id=f"tbk-{secrets.token_hex(8)}",
        secret_hash=_secret_hash(session, secret),
        created_by=None if actor is None else uuid.UUID(actor),
    )
    client = await repository.add_client(session, client)
    await _audit(
        session,
        "client.created",
        client,
        actor,
        scopes=client.scopes,
        rate_limit_tier=client.rate_limit_tier.value,
        is_service_account=client.is_service_account,
    )
    return client, secret


async def update_client(
    session: AsyncSession, client: ApiClient, changes: ClientUpdate, *, actor: str
) -> ApiClient:
    fields = changes.model_dump(exclude_unset=True, exclude_none=True)
    _check_service_scopes(fields.get("scopes", client.scopes), client.is_service_account)
    for name, value in fields.items():
        setattr(client, name, value)
    client = await repository.save(session, client)
    await _audit(session, "client.updated", client, actor, fields=sorted(fields))
    return client


async def rotate_secret(session: AsyncSession, client: ApiClient, *, actor: str) -> str:
    """A new secret; the old one stops working when this commits."""
    secret = new_opaque_token()
    client.secret_hash = _secret_hash(session, secret)
    client.secret_rotated_at = sa.func.now()  # type: ignore[assignment]
    await repository.save(session, client)
    await _audit(session, "client.secret_rotated", client, actor)
    return secret
