"""Helpers of the requester tests: settings, the emailed links, the flows they drive."""

from __future__ import annotations

import os
import re
import uuid
from typing import Any

import httpx
import sqlalchemy as sa
from auth_service.settings import AuthSettings
from ppid_kit.db import create_engine

from tests.services.support import CURSOR_SECRET
from tests.support.smtp import Received, SmtpServer, settings_for

PASSWORD = "kopi-tubruk-sore-hari"
VERIFY_BASE = "https://pemohon.example.id/verifikasi"
RESET_BASE = "https://pemohon.example.id/atur-ulang"
_TOKEN = re.compile(r"[?&]token=([A-Za-z0-9_-]+)")


def private_suffix(name: str) -> str:
    """A database suffix of this process alone: someone may run the same suite meanwhile."""
    return f"_rq_{name}_{os.getpid()}"


def auth_settings(database_url: str, smtp: SmtpServer, **overrides: Any) -> AuthSettings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "cursor_secret": CURSOR_SECRET,
        "email_link_base": VERIFY_BASE,
        "password_reset_link_base": RESET_BASE,
        **settings_for(smtp),
        **overrides,
    }
    return AuthSettings(**values)


def link_token(mail: Received, base: str) -> str:
    """The token of the link to `base` (in each language's section; the HTML has it too)."""
    links = sorted({line for line in mail.text.splitlines() if line.startswith(base + "?")})
    assert len(links) == 1, mail.text
    found = _TOKEN.search(links[0])
    assert found is not None
    assert mail.html is not None
    assert links[0] in mail.html
    return found.group(1)


def has_link(mail: Received) -> bool:
    return _TOKEN.search(mail.text) is not None


async def register(
    client: httpx.AsyncClient, email: str, *, password: str = PASSWORD, **headers: str
) -> httpx.Response:
    body = {"email": email, "name": "Siti Rahayu", "password": password}
    return await client.post("/v1/auth/requesters", json=body, headers=headers)


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/v1/auth/login", json={"email": email, "password": password})


async def verify(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/v1/auth/email-verifications", json={"token": token})


async def verified_requester(
    client: httpx.AsyncClient, smtp: SmtpServer, email: str
) -> dict[str, Any]:
    """Register, follow the emailed link, log in: the token response."""
    assert (await register(client, email)).status_code == 202
    [mail] = await smtp.wait_for(1, to=email)
    assert (await verify(client, link_token(mail, VERIFY_BASE))).status_code == 204
    response = await login(client, email)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def address(prefix: str = "warga") -> str:
    """A fresh email address, `prefix` naming what the test does with it."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.id"


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def fetch(database_url: str, sql: str, **params: Any) -> list[sa.Row[Any]]:
    """Rows of a query against the test database (reading what the app wrote)."""
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            return list((await conn.execute(sa.text(sql), params)).all())
    finally:
        await engine.dispose()


async def execute(database_url: str, sql: str, **params: Any) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.text(sql), params)
    finally:
        await engine.dispose()
