"""The auth app in-process, with access tokens signed by the key it trusts."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from auth_service.main import create_app
from auth_service.settings import AuthSettings
from auth_service.tokens.keys import ensure_active_key, private_key_pem
from fastapi import FastAPI
from ppid_kit.tokens import sign_token
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.services.support import CURSOR_SECRET

Grants = Iterable[tuple[str, uuid.UUID]]


@dataclass(frozen=True)
class Minter:
    """Signs access tokens with the app's active signing key (ppid_kit.tokens.sign_token)."""

    pem: str
    kid: str
    alg: str
    issuer: str
    audience: str

    def token(self, grants: Grants, *, sub: str | None = None, typ: str = "official") -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": sub or str(uuid.uuid4()),
            "typ": typ,
            "grants": [{"role": role, "unit_id": str(unit)} for role, unit in grants],
            "iat": now,
            "nbf": now,
            "exp": now + 600,
            "jti": uuid.uuid4().hex,
        }
        return sign_token(claims, self.pem, kid=self.kid, algorithm=self.alg)

    def headers(self, grants: Grants, **kwargs: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(grants, **kwargs)}"}


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
    async with LifespanManager(app) as manager:
        minter = await minter_for(app)
        transport = httpx.ASGITransport(app=manager.app)
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
