"""Signing keys: first key, encryption at rest, JWKS, rotation and its publication window."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa
from auth_service.main import create_app
from auth_service.tokens import keys
from auth_service.tokens.config import config_for
from auth_service.tokens.models import SigningKey
from auth_service.tokens.sealing import unseal
from cryptography.exceptions import InvalidTag
from fastapi import FastAPI
from sqlmodel import col

from tests.auth.tokens.support import settings_for
from tests.services.support import transaction
from tests.support.lifespan import in_lifespan


async def _active_kid(app: FastAPI) -> str:
    async with transaction(app.state.engine) as session:
        key = await keys.active_key(session)
        assert key is not None
        return key.kid


async def _retire(app: FastAPI, kid: str, *, seconds_past_window: int) -> None:
    """Back-date `kid`'s retirement to its publication window's end plus `seconds_past_window`."""
    settings = settings_for("x")
    window = settings.access_token_ttl_seconds + settings.key_publish_leeway_seconds
    ago = sa.text(f"interval '{window + seconds_past_window} seconds'")
    async with transaction(app.state.engine) as session:
        await session.execute(
            sa.update(SigningKey)
            .where(col(SigningKey.kid) == kid)
            .values(retired_at=sa.func.now() - ago)
        )


async def _jwks_kids(client: httpx.AsyncClient) -> list[str]:
    response = await client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return [key["kid"] for key in response.json()["keys"]]


async def test_startup_creates_the_first_key_and_jwks_publishes_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    kid = await _active_kid(app)  # made by the lifespan: nobody asked for a token yet
    response = await client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    published = {key["kid"]: key for key in response.json()["keys"]}
    assert kid in published
    key = published[kid]
    assert (key["kty"], key["crv"], key["alg"], key["use"]) == ("EC", "P-256", "ES256", "sig")
    assert "d" not in key  # the private scalar never leaves
    assert "max-age=60" in response.headers["cache-control"]
    again = await client.get(
        "/.well-known/jwks.json", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


async def test_private_keys_are_sealed_with_the_key_encryption_key(app: FastAPI) -> None:
    async with transaction(app.state.engine) as session:
        rows = (await session.scalars(sa.select(SigningKey))).all()
        assert rows
        for row in rows:
            assert "PRIVATE KEY" not in row.private_key_enc
            assert keys.private_key_pem(session, row).startswith("-----BEGIN PRIVATE KEY-----")
            with pytest.raises(InvalidTag):
                unseal(b"\x01" * 32, row.private_key_enc, context=row.kid)
            with pytest.raises(InvalidTag):  # bound to its kid: rows cannot be swapped
                unseal(config_for(session).kek, row.private_key_enc, context="another-kid")


async def test_rotation_keeps_the_old_key_published_for_its_window(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    old = await _active_kid(app)
    async with transaction(app.state.engine) as session:
        new = await keys.rotate(session)
    assert new != old
    assert await _active_kid(app) == new
    kids = await _jwks_kids(client)
    assert kids[0] == new
    assert old in kids
    # Past retired_at + access_token_ttl + leeway no token of the old key is valid any more.
    await _retire(app, old, seconds_past_window=1)
    assert old not in await _jwks_kids(client)
    assert new in await _jwks_kids(client)


async def test_key_just_inside_its_window_is_still_published(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    old = await _active_kid(app)
    async with transaction(app.state.engine) as session:
        await keys.rotate(session)
    await _retire(app, old, seconds_past_window=-5)
    assert old in await _jwks_kids(client)


async def test_only_one_key_is_ever_active(app: FastAPI) -> None:
    async def rotate_once() -> str:
        async with transaction(app.state.engine) as session:
            return await keys.rotate(session)

    made = await asyncio.gather(*(rotate_once() for _ in range(4)))
    async with transaction(app.state.engine) as session:
        active = (
            await session.scalars(sa.select(SigningKey).where(col(SigningKey.retired_at).is_(None)))
        ).all()
    assert len(set(made)) == 4
    assert [key.kid for key in active] == [await _active_kid(app)]
    assert active[0].kid in made


async def test_rotation_is_audited_without_key_material(app: FastAPI) -> None:
    async with transaction(app.state.engine) as session:
        kid = await keys.rotate(session)
        rows = (
            await session.execute(
                sa.text("SELECT action, details::text FROM audit_log WHERE object_id = :kid"),
                {"kid": kid},
            )
        ).all()
        active = await keys.active_key(session)
        assert active is not None
        pem = keys.private_key_pem(session, active)
    assert [row[0] for row in rows] == ["signing_key.rotated"]
    assert "PRIVATE" not in rows[0][1]
    assert pem.splitlines()[1] not in rows[0][1]


async def test_rotation_by_age(app: FastAPI) -> None:
    async with transaction(app.state.engine) as session:
        assert await keys.rotate_if_due(session) is None  # a fresh key is not due
    old = await _active_kid(app)
    async with transaction(app.state.engine) as session:
        await session.execute(
            sa.update(SigningKey)
            .where(col(SigningKey.kid) == old)
            .values(activated_at=sa.func.now() - sa.text("interval '31 days'"))
        )
    async with transaction(app.state.engine) as session:
        new = await keys.rotate_if_due(session)
    assert new is not None
    assert new != old
    assert await _active_kid(app) == new


@pytest.fixture
async def eager_rotator(database_url: str) -> AsyncIterator[FastAPI]:
    """A second replica that checks the key's age five times a second."""
    settings = settings_for(database_url, key_rotation_check_seconds=0.2, key_rotation_days=1)
    application = create_app(settings)
    async with in_lifespan(application):
        yield application


async def test_the_service_rotates_an_old_key_on_its_own(eager_rotator: FastAPI) -> None:
    old = await _active_kid(eager_rotator)
    async with transaction(eager_rotator.state.engine) as session:
        await session.execute(
            sa.update(SigningKey)
            .where(col(SigningKey.kid) == old)
            .values(activated_at=sa.func.now() - sa.text("interval '2 days'"))
        )
    for _ in range(50):
        await asyncio.sleep(0.1)
        if await _active_kid(eager_rotator) != old:
            break
    assert await _active_kid(eager_rotator) != old


async def _cli_rotate(database_url: str, *args: str) -> str:
    """`python -m auth_service.tokens.keys rotate` as an operator runs it; the new kid."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "auth_service.tokens.keys",
        "rotate",
        *args,
        env={**os.environ, "AUTH_DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert b"PRIVATE" not in out + err
    return out.decode().strip().rsplit(" ", 1)[-1]


async def test_cli_rotates_and_the_jwks_follows(
    app: FastAPI, client: httpx.AsyncClient, database_url: str
) -> None:
    before = await _active_kid(app)
    kid_rs = await _cli_rotate(database_url, "--alg", "RS256")
    assert await _active_kid(app) == kid_rs
    kid_es = await _cli_rotate(database_url)
    assert await _active_kid(app) == kid_es
    response = await client.get("/.well-known/jwks.json")
    published = {key["kid"]: key for key in response.json()["keys"]}
    assert {before, kid_rs, kid_es} <= published.keys()
    assert published[kid_rs]["kty"] == "RSA"
    assert published[kid_es]["kty"] == "EC"


async def test_metadata_names_the_endpoints(client: httpx.AsyncClient) -> None:
    response = await client.get("/.well-known/openid-configuration")
    assert response.status_code == 200
    body = response.json()
    settings = settings_for("x")
    assert body["issuer"] == settings.jwt_issuer
    assert body["jwks_uri"].endswith("/.well-known/jwks.json")
    assert body["token_endpoint"].endswith("/v1/auth/token")
    assert body["revocation_endpoint"].endswith("/v1/auth/revoke")
    assert set(body["grant_types_supported"]) == {"client_credentials", "refresh_token"}
    assert "client_secret_basic" in body["token_endpoint_auth_methods_supported"]
    assert "dip:read" in body["scopes_supported"]
    assert response.headers["etag"]
    assert "max-age" in response.headers["cache-control"]
