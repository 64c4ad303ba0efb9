"""GET /v1/auth/me and POST /v1/auth/password."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from auth_service.main import create_app

from tests.auth.accounts.support import (
    PASSWORD,
    Tree,
    audit_rows,
    bearer,
    dumped,
    login,
    seed_user,
    settings_for,
)
from tests.services.support import serve

NEW_PASSWORD = "teh-manis-pagi-hari-7"


@pytest.fixture(scope="module")
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(create_app(settings_for(database_url, lockout_threshold=3))) as client:
        yield client


async def test_me_shows_the_profile_and_live_grants(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    user = await seed_user(
        database_url, grants=(("ppid_pelaksana", tree.dinkes), ("auditor", tree.upt))
    )
    token = (await login(client, user.email)).json()["access_token"]
    me = await client.get("/v1/auth/me", headers=bearer(token))
    assert me.status_code == 200
    body = me.json()
    assert (body["email"], body["kind"], body["mfa_enabled"]) == (user.email, "official", False)
    assert {(g["role"], g["unit_id"]) for g in body["grants"]} == {
        ("ppid_pelaksana", str(tree.dinkes)),
        ("auditor", str(tree.upt)),
    }
    assert me.headers["Cache-Control"] == "private, no-cache"
    again = await client.get(
        "/v1/auth/me", headers={**bearer(token), "If-None-Match": me.headers["ETag"]}
    )
    assert again.status_code == 304
    assert (await client.get("/v1/auth/me")).status_code == 401


async def test_changing_the_password_ends_the_other_sessions(
    client: httpx.AsyncClient, database_url: str
) -> None:
    user = await seed_user(database_url)
    first = (await login(client, user.email)).json()
    headers = bearer(first["access_token"])
    weak = await client.post(
        "/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "password1234"},
        headers=headers,
    )
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "new_password"
    same = await client.post(
        "/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": PASSWORD},
        headers=headers,
    )
    assert same.status_code == 422
    changed = await client.post(
        "/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["refresh_token"] != first["refresh_token"]
    old_refresh = await client.post(
        "/v1/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    )
    assert old_refresh.status_code == 400
    new_refresh = await client.post(
        "/v1/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": changed.json()["refresh_token"]},
    )
    assert new_refresh.status_code == 200, new_refresh.text
    assert (await login(client, user.email)).status_code == 401
    assert (await login(client, user.email, NEW_PASSWORD)).status_code == 200
    rows = [
        r
        for r in await audit_rows(database_url, "password.changed")
        if r["object_id"] == str(user.id)
    ]
    assert len(rows) == 1
    assert NEW_PASSWORD not in dumped(await audit_rows(database_url))


async def test_wrong_current_passwords_count_towards_the_lockout(
    client: httpx.AsyncClient, database_url: str
) -> None:
    user = await seed_user(database_url)
    headers = bearer((await login(client, user.email)).json()["access_token"])
    body = {"current_password": "bukan-yang-ini-lho", "new_password": NEW_PASSWORD}
    answers = [await client.post("/v1/auth/password", json=body, headers=headers) for _ in range(4)]
    assert [a.status_code for a in answers] == [403, 403, 403, 429]
    assert answers[0].json()["type"].endswith("/wrong-current-password")
    assert (await login(client, user.email)).status_code == 429
