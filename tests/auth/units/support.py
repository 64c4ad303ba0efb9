"""The auth app in-process, with access tokens signed by the key it trusts."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from auth_service.main import create_app
from auth_service.settings import AuthSettings
from auth_service.tokens.keys import ensure_active_key, private_key_pem
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.services.support import CURSOR_SECRET
from tests.support.lifespan import in_lifespan
from tests.support.tokens import Grants, Minter

__all__ = ["Grants", "Minter"]


def settings_for(database_url: str) -> AuthSettings:
    return AuthSettings(database_url=database_url, cursor_secret=CURSOR_SECRET)


async def minter_for(app: FastAPI) -> Minter:
    """The app's active key (made on first use), read with the app's own key config."""
    settings: AuthSettings = app.state.settings
    engine: AsyncEngine = app.state.engine
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        key = await ensure_active_key(session)
        pem = private_key_pem(session, key)
    return Minter(pem, key.kid, key.alg, settings.jwt_issuer, settings.jwt_audience)


@contextlib.asynccontextmanager
async def serve_auth(database_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Minter]]:
    """The auth app inside its lifespan, reached over ASGI, and a minter of its tokens."""
    app = create_app(settings_for(database_url))
    async with in_lifespan(app) as running:
        minter = await minter_for(app)
        transport = httpx.ASGITransport(app=running)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, minter


Json = dict[str, Any]


@dataclass(frozen=True)
class Roots:
    a: uuid.UUID
    b: uuid.UUID


def admin(minter: Minter, unit: uuid.UUID | str, role: str = "admin") -> dict[str, str]:
    return minter.headers([(role, uuid.UUID(str(unit)))])


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], parent: uuid.UUID | str, **fields: Any
) -> httpx.Response:
    body = {"code": f"u-{uuid.uuid4().hex[:12]}", "name": "Dinas", "kind": "opd", **fields}
    return await client.post("/v1/units", json={**body, "parent_id": str(parent)}, headers=headers)


async def created(
    client: httpx.AsyncClient, headers: dict[str, str], parent: uuid.UUID | str, **fields: Any
) -> Json:
    response = await create(client, headers, parent, **fields)
    assert response.status_code == 201, response.text
    body: Json = response.json()
    return body


async def patch(
    client: httpx.AsyncClient, headers: dict[str, str], unit_id: str, body: Json
) -> httpx.Response:
    current = await client.get(f"/v1/units/{unit_id}")
    etag = {"If-Match": current.headers["etag"]}
    return await client.patch(f"/v1/units/{unit_id}", json=body, headers={**headers, **etag})


def problem_type(response: httpx.Response) -> str:
    body: Json = response.json()
    return str(body["type"])
