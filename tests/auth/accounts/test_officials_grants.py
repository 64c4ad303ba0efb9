"""Officials admin and grants: admins act only within their subtree (DOMAIN.md 2.3)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from auth_service.grants.repository import active_grants
from auth_service.main import create_app

from tests.auth.accounts.support import (
    PASSWORD,
    Json,
    Tree,
    audit_rows,
    dumped,
    login,
    seed_user,
    session_of,
    settings_for,
    unique_email,
)
from tests.services.support import all_pages, database_session, serve

Headers = dict[str, str]


@pytest.fixture(scope="module")
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    # TOTP for admins is tested in test_mfa; here it would only add codes to every login.
    async with serve(create_app(settings_for(database_url, mfa_required_roles=[]))) as client:
        yield client


@pytest.fixture(scope="module")
async def admins(client: httpx.AsyncClient, database_url: str, tree: Tree) -> dict[str, Headers]:
    """Sessions of an admin at root A, at Dinkes (Dinkes and its UPT), and at root B."""
    found = {}
    for name, unit in (("root_a", tree.root_a), ("dinkes", tree.dinkes), ("root_b", tree.root_b)):
        user = await seed_user(database_url, grants=(("admin", unit),))
        found[name] = await session_of(client, user.email)
    return found


def new_official(unit: uuid.UUID, role: str = "ppid_pelaksana", **extra: object) -> Json:
    body: Json = {
        "email": unique_email("baru"),
        "name": "Budi Santoso",
        "password": "sawah-hijau-di-lereng-9",
        "grants": [{"role": role, "unit_id": str(unit)}],
    }
    return {**body, **extra}


async def create(client: httpx.AsyncClient, headers: Headers, body: Json) -> httpx.Response:
    return await client.post("/v1/auth/officials", json=body, headers=headers)


async def test_an_admin_creates_officials_in_their_subtree_only(
    client: httpx.AsyncClient, admins: dict[str, Headers], tree: Tree
) -> None:
    body = new_official(tree.upt)
    created = await create(client, admins["dinkes"], body)
    assert created.status_code == 201, created.text
    official = created.json()
    assert created.headers["Location"] == f"/v1/auth/officials/{official['id']}"
    assert [(g["role"], g["unit_id"]) for g in official["grants"]] == [
        ("ppid_pelaksana", str(tree.upt))
    ]
    assert (await login(client, body["email"], "sawah-hijau-di-lereng-9")).status_code == 200
    for outside in (tree.diskominfo, tree.root_a, tree.opd_b):
        refused = await create(client, admins["dinkes"], new_official(outside))
        assert refused.status_code == 403, refused.text


async def test_weak_passwords_and_taken_emails_are_refused(
    client: httpx.AsyncClient, admins: dict[str, Headers], tree: Tree
) -> None:
    weak = await create(
        client, admins["root_a"], new_official(tree.dinkes, password="password1234")
    )
    assert weak.status_code == 422
    assert weak.json()["type"].endswith("/weak-password")
    body = new_official(tree.dinkes)
    assert (await create(client, admins["root_a"], body)).status_code == 201
    again = await create(client, admins["root_a"], {**body, "password": "lain-lagi-kata-sandi-7"})
    assert again.status_code == 409


async def test_a_retried_create_with_the_same_key_returns_the_first_answer(
    client: httpx.AsyncClient, admins: dict[str, Headers], tree: Tree
) -> None:
    headers = {**admins["root_a"], "Idempotency-Key": uuid.uuid4().hex}
    body = new_official(tree.diskominfo)
    first = await client.post("/v1/auth/officials", json=body, headers=headers)
    second = await client.post("/v1/auth/officials", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]


async def test_lists_show_only_the_officials_of_the_subtree(
    client: httpx.AsyncClient, admins: dict[str, Headers], tree: Tree
) -> None:
    at_upt = (await create(client, admins["dinkes"], new_official(tree.upt))).json()["id"]
    at_kominfo = (await create(client, admins["root_a"], new_official(tree.diskominfo))).json()[
        "id"
    ]
    at_b = (await create(client, admins["root_b"], new_official(tree.opd_b))).json()["id"]

    async def listed(who: str, **params: str) -> set[str]:
        client.headers.update(admins[who])
        try:
            pages = await all_pages(client, "/v1/auth/officials", {"limit": "2", **params})
        finally:
            del client.headers["Authorization"]
        return {item["id"] for page in pages for item in page}

    dinkes, root_a, root_b = await listed("dinkes"), await listed("root_a"), await listed("root_b")
    assert at_upt in dinkes
    assert at_kominfo not in dinkes
    assert at_b not in dinkes
    assert {at_upt, at_kominfo} <= root_a
    assert at_b not in root_a
    assert at_b in root_b
    assert not root_b & {at_upt, at_kominfo}
    assert at_upt in await listed("root_a", unit_id=str(tree.upt))
    assert at_kominfo not in await listed("root_a", unit_id=str(tree.dinkes))
    hidden = await client.get(
        "/v1/auth/officials", params={"unit_id": str(tree.upt)}, headers=admins["root_b"]
    )
    assert hidden.status_code == 404
    one = await client.get(f"/v1/auth/officials/{at_kominfo}", headers=admins["dinkes"])
    assert one.status_code == 404
    seen = await client.get(f"/v1/auth/officials/{at_kominfo}", headers=admins["root_a"])
    assert seen.status_code == 200
    assert seen.headers["Cache-Control"] == "private, no-cache"


async def test_officials_without_admin_roles_may_not_list(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    clerk = await seed_user(database_url, grants=(("ppid_utama", tree.root_a),))
    refused = await client.get("/v1/auth/officials", headers=await session_of(client, clerk.email))
    assert refused.status_code == 403


async def test_grants_within_the_subtree_and_revocation_keeps_history(
    client: httpx.AsyncClient, database_url: str, admins: dict[str, Headers], tree: Tree
) -> None:
    official = (await create(client, admins["root_a"], new_official(tree.diskominfo))).json()
    grants_path = f"/v1/auth/officials/{official['id']}/grants"
    upt = {"role": "petugas_layanan", "unit_id": str(tree.upt)}
    added = await client.post(grants_path, json=upt, headers=admins["dinkes"])
    assert added.status_code == 201, added.text
    assert (await client.post(grants_path, json=upt, headers=admins["dinkes"])).status_code == 409
    outside = {"role": "auditor", "unit_id": str(tree.diskominfo)}
    assert (
        await client.post(grants_path, json=outside, headers=admins["dinkes"])
    ).status_code == 403
    other_root = {"role": "auditor", "unit_id": str(tree.opd_b)}
    assert (
        await client.post(grants_path, json=other_root, headers=admins["dinkes"])
    ).status_code == 403

    grant_id = added.json()["id"]
    assert (
        await client.delete(f"{grants_path}/{grant_id}", headers=admins["root_b"])
    ).status_code == 404
    assert (
        await client.delete(f"{grants_path}/{grant_id}", headers=admins["dinkes"])
    ).status_code == 204
    assert (
        await client.delete(f"{grants_path}/{grant_id}", headers=admins["dinkes"])
    ).status_code == 204
    seen = (
        await client.get(f"/v1/auth/officials/{official['id']}", headers=admins["root_a"])
    ).json()
    revoked = next(g for g in seen["grants"] if g["id"] == grant_id)
    assert revoked["revoked_at"] is not None
    assert revoked["revoked_by"] is not None
    async with database_session(database_url) as session:
        live = await active_grants(session, uuid.UUID(official["id"]))
    assert [(g.role, g.unit_id) for g in live] == [("ppid_pelaksana", str(tree.diskominfo))]


async def test_the_last_admin_of_a_root_cannot_be_revoked(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    lone = await seed_user(database_url, grants=(("admin", tree.root_b),))
    # root_b has two admins now (the fixture's and this one): one may go, not both.
    headers = await session_of(client, lone.email)
    seen = (await client.get(f"/v1/auth/officials/{lone.id}", headers=headers)).json()
    mine = seen["grants"][0]["id"]
    others = (await client.get("/v1/auth/officials", headers=headers)).json()["items"]
    other = next(o for o in others if o["id"] != str(lone.id) and o["grants"][0]["role"] == "admin")
    path = f"/v1/auth/officials/{other['id']}/grants/{other['grants'][0]['id']}"
    assert (await client.delete(path, headers=headers)).status_code == 204
    last = await client.delete(f"/v1/auth/officials/{lone.id}/grants/{mine}", headers=headers)
    assert last.status_code == 409
    assert last.json()["type"].endswith("/last-admin")


async def test_grant_changes_are_audited_with_unit_and_actor(
    client: httpx.AsyncClient, database_url: str, admins: dict[str, Headers], tree: Tree
) -> None:
    body = new_official(tree.upt)
    official = (await create(client, admins["dinkes"], body)).json()
    grant = official["grants"][0]
    path = f"/v1/auth/officials/{official['id']}/grants/{grant['id']}"
    assert (await client.delete(path, headers=admins["dinkes"])).status_code == 204
    rows = [
        r
        for r in await audit_rows(database_url, "grant.added", "grant.revoked")
        if r["object_id"] == grant["id"]
    ]
    assert [r["action"] for r in rows] == ["grant.added", "grant.revoked"]
    assert all(r["unit_id"] == tree.upt and r["actor_id"] for r in rows)
    assert rows[0]["details"] == {"role": "ppid_pelaksana", "official_id": official["id"]}
    created = [
        r
        for r in await audit_rows(database_url, "official.created")
        if r["object_id"] == official["id"]
    ]
    assert len(created) == 1
    everything = dumped(await audit_rows(database_url))
    assert body["email"] not in everything
    assert body["password"] not in everything
    assert PASSWORD not in everything
