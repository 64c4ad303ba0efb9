"""Issue 3, item 5 end to end: real auth, gateway and registry processes on loopback, keys
rotated live.

The gateway and the registry verify tokens with the same kit code as every service
(ppid_kit.tokens, JWKS fetched from auth). The gateway's upstream for /v1/webhooks is down,
so a token it accepts gets 502/503 from the missing upstream, a token it refuses gets 401.
The registry answers its DIK list to any valid token and 401 to a refused one.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from ppid_kit.tokens import JWKSCache, TokenVerifier

from tests.auth.tokens.support import (
    FORM,
    basic,
    bearer,
    seed_client,
    seed_tree,
    settings_for,
    standalone_engine,
)
from tests.services.support import CURSOR_SECRET, transaction
from tests.support.procs import Proc, free_port, running, uvicorn_cmd

TTL = 3  # seconds: access tokens expire while the test watches
VERIFIER_LEEWAY = 30  # ppid_kit.tokens.TokenVerifier's default clock leeway
UPSTREAM_DOWN = {502, 503, 504}


@dataclass(frozen=True)
class Live:
    auth: Proc
    gateway: Proc
    database_url: str


@pytest.fixture(scope="module")
def live(database_url: str) -> Iterator[Live]:
    auth_port, gateway_port, dead_port = free_port(), free_port(), free_port()
    auth_env = {
        "AUTH_DATABASE_URL": database_url,
        "AUTH_CURSOR_SECRET": CURSOR_SECRET,
        "AUTH_ACCESS_TOKEN_TTL_SECONDS": str(TTL),
        "AUTH_KEY_PUBLISH_LEEWAY_SECONDS": str(VERIFIER_LEEWAY),
        "AUTH_PUBLIC_URL": f"http://127.0.0.1:{auth_port}",
    }
    auth_cmd = uvicorn_cmd("auth_service.main:create_app", auth_port)
    with running(auth_cmd, port=auth_port, env=auth_env, name="auth-tokens") as auth:
        nowhere = f"http://127.0.0.1:{dead_port}"
        gateway_env = {
            "GATEWAY_AUTH_URL": auth.url,  # JWKS: auth's /.well-known/jwks.json
            "GATEWAY_REGISTRY_URL": nowhere,
            "GATEWAY_REQUESTS_URL": nowhere,
            "GATEWAY_RATE_LIMIT_PER_MINUTE": "100000",
            "GATEWAY_CLIENT_RATE_LIMIT_PER_MINUTE": "100000",
        }
        gateway_cmd = uvicorn_cmd("gateway.main:create_app", gateway_port)
        with running(gateway_cmd, port=gateway_port, env=gateway_env, name="gateway-tokens") as gw:
            yield Live(auth, gw, database_url)


@pytest.fixture(scope="module")
def registry(live: Live, migrated_database: Callable[..., str]) -> Iterator[Proc]:
    """Another service, started before the rotation and never restarted."""
    port = free_port()
    env = {
        "REGISTRY_DATABASE_URL": migrated_database("registry", suffix=f"_rotation_{os.getpid()}"),
        "REGISTRY_CURSOR_SECRET": CURSOR_SECRET,
        "REGISTRY_JWKS_URL": f"{live.auth.url}/.well-known/jwks.json",
        "REGISTRY_UNIT_TREE_URL": f"{live.auth.url}/v1/units/tree",
    }
    cmd = uvicorn_cmd("registry_service.main:create_app", port)
    with running(cmd, port=port, env=env, name="registry-tokens") as proc:
        yield proc


@pytest.fixture(scope="module")
async def credentials(live: Live) -> tuple[str, str]:
    settings = settings_for(live.database_url)
    async with standalone_engine(settings) as engine, transaction(engine) as session:
        tree = await seed_tree(session)
        return await seed_client(session, tree.root, ["dip:read"])


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def _issue(http: httpx.AsyncClient, live: Live, credentials: tuple[str, str]) -> str:
    response = await http.post(
        f"{live.auth.url}/v1/auth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(*credentials),
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _kid(token: str) -> str:
    header = token.split(".")[0]
    return str(json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"])


def _exp(token: str) -> int:
    payload = token.split(".")[1]
    return int(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"])


async def _at_gateway(http: httpx.AsyncClient, live: Live, token: str | None) -> int:
    headers = bearer(token) if token is not None else {}
    response = await http.post(
        f"{live.gateway.url}/v1/webhooks/subscriptions", json={}, headers=headers
    )
    return response.status_code


async def _at_registry(http: httpx.AsyncClient, registry: Proc, token: str) -> int:
    response = await http.get(f"{registry.url}/v1/dik/entries", headers=bearer(token))
    assert response.status_code in (200, 401), response.text
    return response.status_code


async def _at_auth(http: httpx.AsyncClient, live: Live, token: str) -> int:
    """Auth verifies its own tokens from its database keys (a client sees an empty list)."""
    return (await http.get(f"{live.auth.url}/v1/auth/clients", headers=bearer(token))).status_code


async def _published(http: httpx.AsyncClient, live: Live) -> set[str]:
    response = await http.get(f"{live.auth.url}/.well-known/jwks.json")
    assert response.status_code == 200
    return {key["kid"] for key in response.json()["keys"]}


async def _cli_rotate(live: Live) -> str:
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "auth_service.tokens.keys", "rotate"),
        env={**os.environ, "AUTH_DATABASE_URL": live.database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    return out.decode().strip().rsplit(" ", 1)[-1]


async def test_token_verifies_against_the_served_jwks(
    http: httpx.AsyncClient, live: Live, credentials: tuple[str, str]
) -> None:
    token = await _issue(http, live, credentials)
    jwks = JWKSCache(f"{live.auth.url}/.well-known/jwks.json", http)
    settings = settings_for(live.database_url)
    verifier = TokenVerifier(jwks, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    claims = await verifier.verify(token)
    assert (claims.sub, claims.typ, claims.scope) == (credentials[0], "client", "dip:read")
    assert claims.exp - int(time.time()) <= TTL
    assert _kid(token) in await _published(http, live)


async def _until_accepted(
    http: httpx.AsyncClient,
    live: Live,
    creds: tuple[str, str],
    probe: Callable[[str], Awaitable[int]],
) -> float:
    """Fresh new-key tokens until `probe` (a verifier's status for a token) takes one;
    seconds waited.

    The kit's JWKSCache refetches for an unknown kid at most once per 30 s, so a
    verifier that fetched just before the rotation needs up to that long.
    """
    started = time.monotonic()
    while time.monotonic() - started < 45:
        if await probe(await _issue(http, live, creds)) != 401:
            return time.monotonic() - started
        await asyncio.sleep(1)
    raise AssertionError("the verifier never accepted a token of the new key")


async def test_rotation_without_restarts(
    http: httpx.AsyncClient, live: Live, registry: Proc, credentials: tuple[str, str]
) -> None:
    assert await _at_gateway(http, live, None) == 401  # the route needs a token
    old = await _issue(http, live, credentials)
    assert await _at_gateway(http, live, old) in UPSTREAM_DOWN  # the gateway fetched the JWKS
    assert await _at_registry(http, registry, old) == 200  # and so did the registry
    new_kid = await _cli_rotate(live)
    assert new_kid != _kid(old)
    new = await _issue(http, live, credentials)
    assert _kid(new) == new_kid  # the running auth signs with the new key at once
    assert await _at_auth(http, live, new) == 200
    assert {_kid(old), new_kid} <= await _published(http, live)
    assert await _at_gateway(http, live, old) in UPSTREAM_DOWN  # retired, not yet expired
    assert await _at_registry(http, registry, old) == 200

    async def at_gateway(token: str) -> int:
        status = await _at_gateway(http, live, token)
        assert status in UPSTREAM_DOWN | {401}
        return status

    async def at_registry(token: str) -> int:
        return await _at_registry(http, registry, token)

    assert await _until_accepted(http, live, credentials, at_gateway) <= 35
    assert await _until_accepted(http, live, credentials, at_registry) <= 35
    # The rotated-out key's last token: valid until exp + leeway, then refused everywhere.
    await asyncio.sleep(max(0.0, _exp(old) + VERIFIER_LEEWAY + 1.5 - time.time()))
    assert await _at_gateway(http, live, old) == 401
    assert await _at_registry(http, registry, old) == 401
    assert await _at_auth(http, live, old) == 401
    fresh = await _issue(http, live, credentials)
    assert await _at_gateway(http, live, fresh) in UPSTREAM_DOWN
    assert await _at_registry(http, registry, fresh) == 200
    assert await _at_auth(http, live, fresh) == 200
    # Past retired_at + ttl + leeway the old key leaves the JWKS.
    for _ in range(20):
        if _kid(old) not in await _published(http, live):
            break
        await asyncio.sleep(0.5)
    assert await _published(http, live) == {new_kid}


async def test_token_endpoint_through_form_body(
    http: httpx.AsyncClient, live: Live, credentials: tuple[str, str]
) -> None:
    client_id, secret = credentials
    body = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    response = await http.post(f"{live.auth.url}/v1/auth/token", data=body, headers=FORM)
    assert response.status_code == 200
    assert response.json()["expires_in"] == TTL
    token = response.json()["access_token"]
    assert await _at_gateway(http, live, token) in UPSTREAM_DOWN
    for proc in (live.auth, live.gateway):  # never a secret or a token in a log line
        log = proc.log_text()
        assert '"msg": "request"' in log
        assert secret not in log
        assert token not in log
        assert token.split(".")[2] not in log
