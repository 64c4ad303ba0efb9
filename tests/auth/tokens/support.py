"""Seeding and calling helpers of the tokens tests: real rows, real app, real HTTP."""

from __future__ import annotations

import base64
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import sqlalchemy as sa
from auth_service.accounts.models import User, UserKind
from auth_service.clients.models import ClientCreate, RateLimitTier
from auth_service.clients.service import create_client
from auth_service.grants.models import GrantRow, OfficialRole
from auth_service.settings import AuthSettings
from auth_service.tokens.config import TokenConfig, bind_config
from auth_service.units.models import PpidDesignation, RootTimeZone, Unit, UnitKind
from ppid_kit.db import create_engine
from ppid_kit.tokens import Claims, TokenVerifier
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.services.support import CURSOR_SECRET, transaction

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
Json = dict[str, Any]


def settings_for(database_url: str, **overrides: Any) -> AuthSettings:
    return AuthSettings(database_url=database_url, cursor_secret=CURSOR_SECRET, **overrides)


@contextlib.asynccontextmanager
async def standalone_engine(settings: AuthSettings) -> AsyncIterator[AsyncEngine]:
    """An engine outside any app (for a service run as a real process), tokens configured."""
    engine = create_engine(settings.database_url, pool_size=2)
    bind_config(engine, TokenConfig.from_settings(settings))
    try:
        yield engine
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class Tree:
    root: uuid.UUID
    child: uuid.UUID


async def seed_tree(session: AsyncSession) -> Tree:
    """A root (badan publik) with one OPD below it, under fresh codes."""
    tag = uuid.uuid4().hex[:8]
    root_id, child_id = uuid.uuid4(), uuid.uuid4()
    root = Unit(
        id=root_id,
        code=f"root-{tag}",
        name=f"Pemerintah Kota {tag}",
        kind=UnitKind.BADAN_PUBLIK,
        root_id=root_id,
        time_zone=RootTimeZone.WIB,
        ppid=PpidDesignation.UTAMA,
    )
    session.add(root)
    await session.flush()
    child = Unit(
        id=child_id,
        code=f"root-{tag}.dinkes",
        name="Dinas Kesehatan",
        kind=UnitKind.OPD,
        parent_id=root_id,
        root_id=root_id,
        ppid=PpidDesignation.PELAKSANA,
    )
    session.add(child)
    await session.flush()
    return Tree(root_id, child_id)


async def seed_official(
    session: AsyncSession, grants: Iterable[tuple[OfficialRole, uuid.UUID]] = ()
) -> User:
    tag = uuid.uuid4().hex[:10]
    user = User(kind=UserKind.OFFICIAL, email=f"pejabat-{tag}@example.id", name=f"Pejabat {tag}")
    session.add(user)
    await session.flush()
    for role, unit_id in grants:
        session.add(GrantRow(user_id=user.id, role=role, unit_id=unit_id))
    await session.flush()
    return user


async def seed_client(
    session: AsyncSession,
    root_id: uuid.UUID,
    scopes: list[str],
    *,
    is_service_account: bool = False,
) -> tuple[str, str]:
    """A client registered the way the route does it; its id and (one-time) secret."""
    data = ClientCreate(
        name=f"Klien {uuid.uuid4().hex[:6]}",
        root_id=root_id,
        scopes=scopes,
        rate_limit_tier=RateLimitTier.PARTNER,
        is_service_account=is_service_account,
    )
    client, secret = await create_client(session, data, actor=str(uuid.uuid4()))
    return client.client_id, secret


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = f"{client_id}:{secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode(), **FORM}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def audit_actions(engine: AsyncEngine, object_id: str) -> list[str]:
    async with transaction(engine) as session:
        rows = await session.execute(
            sa.text("SELECT action FROM audit_log WHERE object_id = :id ORDER BY id"),
            {"id": object_id},
        )
        return [row[0] for row in rows]


async def audit_text(engine: AsyncEngine) -> str:
    """Every audit row as text: secrets must never appear in it."""
    async with transaction(engine) as session:
        rows = await session.execute(sa.text("SELECT audit_log::text FROM audit_log"))
        return "\n".join(row[0] for row in rows)


async def verify(app_verifier: TokenVerifier, token: str) -> Claims:
    return await app_verifier.verify(token)


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    body = {"grant_type": "refresh_token", "refresh_token": token}
    return await client.post("/v1/auth/token", data=body, headers=FORM)


def oauth_error(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/problem+json")
    body: Json = response.json()
    assert body["type"] == "/problems/oauth-" + body["error"].replace("_", "-")
    assert response.headers["cache-control"] == "no-store"
    return str(body["error"])
