"""API clients: registration by a root's admin, client credentials, scopes, secret rotation."""

from __future__ import annotations

import uuid

import httpx
import pytest
from auth_service.clients.models import ApiClient
from auth_service.grants.models import OfficialRole
from auth_service.tokens.service import issue_for_user
from fastapi import FastAPI

from tests.auth.tokens.support import (
    FORM,
    Json,
    Tree,
    audit_actions,
    audit_text,
    basic,
    bearer,
    oauth_error,
    seed_official,
    seed_tree,
)
from tests.services.support import transaction

SCOPES = ["dip:feed", "dip:read", "requests:submit"]


async def _headers(app: FastAPI, role: OfficialRole, unit_id: uuid.UUID) -> dict[str, str]:
    async with transaction(app.state.engine) as session:
        user = await seed_official(session, [(role, unit_id)])
        tokens = await issue_for_user(session, user)
    return bearer(tokens.access_token)


@pytest.fixture(scope="module")
async def admin(app: FastAPI, tree: Tree) -> dict[str, str]:
    return await _headers(app, OfficialRole.ADMIN, tree.root)


async def _register(
    client: httpx.AsyncClient, admin: dict[str, str], tree: Tree, **extra: object
) -> Json:
    body = {"name": "Aplikasi PPID", "root_id": str(tree.root), "scopes": SCOPES, **extra}
    response = await client.post("/v1/auth/clients", json=body, headers=admin)
    assert response.status_code == 201, response.text
    created: Json = response.json()
    return created


def _form(**fields: str) -> dict[str, str]:
    return {"grant_type": "client_credentials", **fields}


async def _token(
    client: httpx.AsyncClient, client_id: str, secret: str, **form: str
) -> httpx.Response:
    return await client.post("/v1/auth/token", data=_form(**form), headers=basic(client_id, secret))


async def test_register_shows_the_secret_once_and_stores_a_keyed_hash(
    app: FastAPI, client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    created = await _register(client, admin, tree, cors_origins=["https://ppid.example.id/"])
    secret = created["client_secret"]
    assert len(secret) >= 43
    assert created["cors_origins"] == ["https://ppid.example.id"]
    assert created["rate_limit_tier"] == "standard"
    shown = await client.get(f"/v1/auth/clients/{created['client_id']}", headers=admin)
    assert shown.status_code == 200
    assert "client_secret" not in shown.json()
    async with transaction(app.state.engine) as session:
        row = await session.get(ApiClient, created["client_id"])
    assert row is not None
    assert secret not in row.secret_hash
    assert len(row.secret_hash) == 64
    assert secret not in await audit_text(app.state.engine)
    assert "client.created" in await audit_actions(app.state.engine, created["client_id"])


async def test_client_credentials_with_basic_and_with_the_body(
    app: FastAPI, client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    created = await _register(client, admin, tree)
    client_id, secret = created["client_id"], created["client_secret"]
    by_basic = await _token(client, client_id, secret)
    assert by_basic.status_code == 200, by_basic.text
    assert by_basic.headers["cache-control"] == "no-store"
    body = by_basic.json()
    assert "refresh_token" not in body
    assert body["scope"] == " ".join(SCOPES)
    claims = await app.state.token_verifier.verify(body["access_token"])
    assert (claims.sub, claims.typ, claims.client_id) == (client_id, "client", client_id)
    assert claims.grants == []
    assert claims.tier == "standard"  # the gateway's quota for this client
    in_body = _form(client_id=client_id, client_secret=secret)
    by_form = await client.post("/v1/auth/token", data=in_body, headers=FORM)
    assert by_form.status_code == 200, by_form.text
    both = await client.post("/v1/auth/token", data=in_body, headers=basic(client_id, secret))
    assert both.status_code == 400
    assert oauth_error(both) == "invalid_request"
    assert "token.issued" in await audit_actions(app.state.engine, client_id)


async def test_wrong_or_missing_credentials_are_401(
    client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    created = await _register(client, admin, tree)
    client_id, secret = created["client_id"], created["client_secret"]
    for response in (
        await _token(client, client_id, secret + "x"),
        await _token(client, "tbk-unknown", secret),
        await client.post("/v1/auth/token", data=_form(), headers=FORM),
        await client.post(
            "/v1/auth/token", data=_form(), headers={**FORM, "Authorization": "Basic !!"}
        ),
    ):
        assert response.status_code == 401
        assert oauth_error(response) == "invalid_client"
        assert response.headers["www-authenticate"].startswith("Basic")


async def test_requested_scope_must_be_a_subset(
    client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    created = await _register(client, admin, tree)
    client_id, secret = created["client_id"], created["client_secret"]
    narrowed = await _token(client, client_id, secret, scope="dip:read")
    assert narrowed.status_code == 200
    assert narrowed.json()["scope"] == "dip:read"
    widened = await _token(client, client_id, secret, scope="dip:read webhooks:manage")
    assert widened.status_code == 400
    assert oauth_error(widened) == "invalid_scope"


async def test_rotation_invalidates_the_old_secret(
    app: FastAPI, client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    created = await _register(client, admin, tree)
    client_id, old = created["client_id"], created["client_secret"]
    rotated = await client.post(f"/v1/auth/clients/{client_id}/secret", headers=admin)
    assert rotated.status_code == 200
    new = rotated.json()["client_secret"]
    assert new != old
    assert rotated.json()["secret_rotated_at"] > created["secret_rotated_at"]
    assert (await _token(client, client_id, old)).status_code == 401
    assert (await _token(client, client_id, new)).status_code == 200
    actions = await audit_actions(app.state.engine, client_id)
    assert "client.secret_rotated" in actions
    assert "client.auth_failed" in actions
    assert new not in await audit_text(app.state.engine)


async def test_patch_needs_if_match_and_deactivation_stops_tokens(
    client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    created = await _register(client, admin, tree)
    path = f"/v1/auth/clients/{created['client_id']}"
    change = {"is_active": False, "rate_limit_tier": "partner"}
    assert (await client.patch(path, json=change, headers=admin)).status_code == 428
    stale = {**admin, "If-Match": '"stale"'}
    assert (await client.patch(path, json=change, headers=stale)).status_code == 412
    etag = (await client.get(path, headers=admin)).headers["etag"]
    patched = await client.patch(path, json=change, headers={**admin, "If-Match": etag})
    assert patched.status_code == 200, patched.text
    assert patched.json()["is_active"] is False
    assert patched.json()["rate_limit_tier"] == "partner"
    assert patched.headers["etag"] != etag
    refused = await _token(client, created["client_id"], created["client_secret"])
    assert refused.status_code == 401


async def test_tokens_carry_the_clients_current_tier(
    app: FastAPI, client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    created = await _register(client, admin, tree, rate_limit_tier="partner")
    client_id, secret = created["client_id"], created["client_secret"]
    token = (await _token(client, client_id, secret)).json()["access_token"]
    assert (await app.state.token_verifier.verify(token)).tier == "partner"
    path = f"/v1/auth/clients/{client_id}"
    etag = (await client.get(path, headers=admin)).headers["etag"]
    change = {"rate_limit_tier": "internal"}
    patched = await client.patch(path, json=change, headers={**admin, "If-Match": etag})
    assert patched.status_code == 200, patched.text
    token = (await _token(client, client_id, secret)).json()["access_token"]
    assert (await app.state.token_verifier.verify(token)).tier == "internal"


async def test_scopes_and_origins_are_checked(
    client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    base = {"name": "X", "root_id": str(tree.root)}
    bad = [
        {**base, "scopes": ["dip:read", "everything"]},
        {**base, "scopes": ["service"]},  # service accounts only
        {**base, "scopes": ["dip:read"], "cors_origins": ["https://a.example/path"]},
        {**base, "scopes": ["dip:read"], "cors_origins": ["http://plain.example"]},
        {**base, "scopes": ["dip:read"], "root_id": str(tree.child)},  # not a root
    ]
    for body in bad:
        response = await client.post("/v1/auth/clients", json=body, headers=admin)
        assert response.status_code == 422, body
    service = {**base, "scopes": ["service", "units:tree"], "is_service_account": True}
    created = await client.post("/v1/auth/clients", json=service, headers=admin)
    assert created.status_code == 201
    assert created.json()["scopes"] == ["service", "units:tree"]


async def test_only_admins_of_the_root_manage_its_clients(
    app: FastAPI, client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    created = await _register(client, admin, tree)
    path = f"/v1/auth/clients/{created['client_id']}"
    async with transaction(app.state.engine) as session:
        other = await seed_tree(session)
    colleague = await _headers(app, OfficialRole.PPID_UTAMA, tree.root)
    child_admin = await _headers(app, OfficialRole.ADMIN, tree.child)
    stranger = await _headers(app, OfficialRole.ADMIN, other.root)
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers=colleague)).status_code == 403
    assert (await client.get(path, headers=child_admin)).status_code == 403
    assert (await client.get(path, headers=stranger)).status_code == 404
    body = {"name": "X", "root_id": str(tree.root), "scopes": ["dip:read"]}
    assert (await client.post("/v1/auth/clients", json=body, headers=colleague)).status_code == 403
    assert (await client.post("/v1/auth/clients", json=body, headers=stranger)).status_code == 404
    rotate = await client.post(f"{path}/secret", headers=stranger)
    assert rotate.status_code == 404
    listed = await client.get("/v1/auth/clients", headers=stranger)
    assert created["client_id"] not in {c["client_id"] for c in listed.json()["items"]}


async def test_list_pages_through_the_admins_clients(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with transaction(app.state.engine) as session:
        own = await seed_tree(session)
    admin = await _headers(app, OfficialRole.ADMIN, own.root)
    made = {(await _register(client, admin, own))["client_id"] for _ in range(5)}
    seen: list[str] = []
    url: str | None = f"/v1/auth/clients?limit=2&root={own.root}"
    while url is not None:
        response = await client.get(url, headers=admin)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "private, no-cache"
        body = response.json()
        seen.extend(item["client_id"] for item in body["items"])
        assert len(body["items"]) <= 2
        url = None if body["next_cursor"] is None else response.headers["link"][1:].split(">")[0]
    assert sorted(seen) == sorted(made)


async def test_idempotent_registration_never_replays_the_secret(
    client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    body = {"name": "Idempoten", "root_id": str(tree.root), "scopes": ["dip:read"]}
    headers = {**admin, "Idempotency-Key": f"create-{uuid.uuid4()}"}
    first = await client.post("/v1/auth/clients", json=body, headers=headers)
    again = await client.post("/v1/auth/clients", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["client_id"] == first.json()["client_id"]
    assert first.json()["client_secret"]
    assert again.json()["client_secret"] is None


async def test_cors_origins_of_active_clients_are_listed_for_the_gateway(
    client: httpx.AsyncClient, admin: dict[str, str], tree: Tree
) -> None:
    active = await _register(client, admin, tree, cors_origins=["https://aktif.example.id"])
    gone = await _register(client, admin, tree, cors_origins=["https://mati.example.id"])
    path = f"/v1/auth/clients/{gone['client_id']}"
    etag = (await client.get(path, headers=admin)).headers["etag"]
    off = await client.patch(path, json={"is_active": False}, headers={**admin, "If-Match": etag})
    assert off.status_code == 200
    response = await client.get("/v1/auth/clients/cors-origins")  # no token: public
    assert response.status_code == 200
    origins = response.json()["origins"]
    assert active["cors_origins"][0] in origins
    assert "https://mati.example.id" not in origins
    assert origins == sorted(set(origins))
    cached = {"If-None-Match": response.headers["etag"]}
    assert (await client.get("/v1/auth/clients/cors-origins", headers=cached)).status_code == 304
