"""Refresh rotation, reuse detection, logout, RFC 7009 revocation, revoke-all-sessions."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
import sqlalchemy as sa
from auth_service.accounts.models import User, UserKind
from auth_service.grants.models import GrantRow, OfficialRole
from auth_service.main import create_app
from auth_service.tokens.models import RefreshToken
from auth_service.tokens.sealing import sha256_hex
from auth_service.tokens.service import MFA_ENROLL_SCOPE, TokenResponse, issue_for_user
from fastapi import FastAPI
from sqlmodel import col

from tests.auth.tokens.support import (
    FORM,
    Tree,
    audit_actions,
    audit_text,
    bearer,
    oauth_error,
    refresh,
    seed_official,
    seed_tree,
    settings_for,
)
from tests.services.support import transaction
from tests.support.lifespan import in_lifespan

ADMIN, PELAKSANA = OfficialRole.ADMIN, OfficialRole.PPID_PELAKSANA


async def _official(app: FastAPI, tree: Tree, role: OfficialRole = PELAKSANA) -> User:
    async with transaction(app.state.engine) as session:
        return await seed_official(session, [(role, tree.child)])


async def _login(app: FastAPI, user: User, **kwargs: str) -> TokenResponse:
    """What a successful login ends with (accounts calls the same function)."""
    async with transaction(app.state.engine) as session:
        return await issue_for_user(session, user, **kwargs)


def _refresh_token(tokens: TokenResponse) -> str:
    assert tokens.refresh_token is not None
    return tokens.refresh_token


async def test_access_token_carries_the_contract_claims(app: FastAPI, tree: Tree) -> None:
    user = await _official(app, tree)
    tokens = await _login(app, user)
    claims = await app.state.token_verifier.verify(tokens.access_token)
    assert claims.sub == str(user.id)
    assert claims.typ == "official"
    assert [(g.role, g.unit_id) for g in claims.grants] == [("ppid_pelaksana", str(tree.child))]
    assert claims.exp - claims.iat == tokens.expires_in == 900
    assert claims.nbf == claims.iat
    assert claims.jti
    assert (claims.client_id, claims.scope, claims.tier) == (None, None, None)  # clients only
    assert tokens.token_type == "Bearer"


async def test_refresh_rotates_and_reads_the_current_grants(
    app: FastAPI, client: httpx.AsyncClient, tree: Tree
) -> None:
    user = await _official(app, tree)
    first = _refresh_token(await _login(app, user))
    async with transaction(app.state.engine) as session:  # a grant revoked since the login
        await session.execute(
            sa.update(GrantRow)
            .where(col(GrantRow.user_id) == user.id)
            .values(revoked_at=sa.func.now(), revoked_by=uuid.uuid4())
        )
    response = await refresh(client, first)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["refresh_token"] != first
    claims = await app.state.token_verifier.verify(body["access_token"])
    assert claims.sub == str(user.id)
    assert claims.grants == []
    second = await refresh(client, body["refresh_token"])
    assert second.status_code == 200


async def test_reused_refresh_token_revokes_the_whole_family(
    app: FastAPI, client: httpx.AsyncClient, tree: Tree
) -> None:
    user = await _official(app, tree)
    first = _refresh_token(await _login(app, user))
    newest = (await refresh(client, first)).json()["refresh_token"]
    reused = await refresh(client, first)  # e.g. a stolen copy
    assert reused.status_code == 400
    assert oauth_error(reused) == "invalid_grant"
    refused = await refresh(client, newest)  # the legitimate holder is logged out too
    assert refused.status_code == 400
    assert oauth_error(refused) == "invalid_grant"
    assert "token.reuse_detected" in await audit_actions(app.state.engine, str(user.id))
    assert newest not in await audit_text(app.state.engine)


async def test_concurrent_use_of_one_refresh_token_has_one_winner(
    app: FastAPI, client: httpx.AsyncClient, tree: Tree
) -> None:
    user = await _official(app, tree)
    token = _refresh_token(await _login(app, user))
    results = await asyncio.gather(*(refresh(client, token) for _ in range(3)))
    assert sorted(r.status_code for r in results) == [200, 400, 400]
    winner = next(r for r in results if r.status_code == 200).json()["refresh_token"]
    assert (await refresh(client, winner)).status_code == 400  # the reuse ended the family


async def test_expired_refresh_token_is_refused(
    app: FastAPI, client: httpx.AsyncClient, tree: Tree
) -> None:
    user = await _official(app, tree)
    token = _refresh_token(await _login(app, user))
    async with transaction(app.state.engine) as session:
        await session.execute(
            sa.update(RefreshToken)
            .where(col(RefreshToken.token_hash) == sha256_hex(token))
            .values(expires_at=sa.func.now() - sa.text("interval '1 second'"))
        )
    response = await refresh(client, token)
    assert response.status_code == 400
    assert oauth_error(response) == "invalid_grant"


async def test_refresh_tokens_are_stored_hashed(app: FastAPI, tree: Tree) -> None:
    user = await _official(app, tree)
    token = _refresh_token(await _login(app, user))
    async with transaction(app.state.engine) as session:
        rows = (
            await session.scalars(
                sa.select(RefreshToken).where(col(RefreshToken.user_id) == user.id)
            )
        ).all()
    assert [row.token_hash for row in rows] == [sha256_hex(token)]
    assert len(token) >= 43  # 32 random bytes, base64url


async def test_deactivated_account_cannot_refresh(
    app: FastAPI, client: httpx.AsyncClient, tree: Tree
) -> None:
    user = await _official(app, tree)
    token = _refresh_token(await _login(app, user))
    async with transaction(app.state.engine) as session:
        await session.execute(
            sa.update(User).where(col(User.id) == user.id).values(is_active=False)
        )
    response = await refresh(client, token)
    assert response.status_code == 400
    assert oauth_error(response) == "invalid_grant"


async def test_refresh_bound_to_its_client(
    app: FastAPI, client: httpx.AsyncClient, tree: Tree
) -> None:
    user = await _official(app, tree)
    token = _refresh_token(await _login(app, user, client_id="tbk-frontend"))
    body = {"grant_type": "refresh_token", "refresh_token": token, "client_id": "tbk-other"}
    response = await client.post("/v1/auth/token", data=body, headers=FORM)
    assert response.status_code == 400
    body["client_id"] = "tbk-frontend"
    assert (await client.post("/v1/auth/token", data=body, headers=FORM)).status_code == 200


async def test_restricted_enrolment_token(app: FastAPI, tree: Tree) -> None:
    user = await _official(app, tree, ADMIN)
    tokens = await _login(app, user, scope=MFA_ENROLL_SCOPE)
    assert tokens.refresh_token is None
    claims = await app.state.token_verifier.verify(tokens.access_token)
    assert claims.scope == MFA_ENROLL_SCOPE
    assert claims.grants == []  # nothing grant-based accepts it
    with pytest.raises(ValueError, match="not a user scope"):
        await _login(app, user, scope="dip:read")


async def test_logout_ends_the_login(app: FastAPI, client: httpx.AsyncClient, tree: Tree) -> None:
    user = await _official(app, tree)
    first = _refresh_token(await _login(app, user))
    newest = (await refresh(client, first)).json()["refresh_token"]
    response = await client.post("/v1/auth/logout", json={"refresh_token": newest})
    assert response.status_code == 204
    assert (await refresh(client, newest)).status_code == 400
    unknown = await client.post("/v1/auth/logout", json={"refresh_token": "not-a-token"})
    assert unknown.status_code == 204  # no oracle
    assert "session.logout" in await audit_actions(app.state.engine, str(user.id))


async def test_rfc7009_revocation(app: FastAPI, client: httpx.AsyncClient, tree: Tree) -> None:
    user = await _official(app, tree)
    tokens = await _login(app, user)
    token = _refresh_token(tokens)
    body = {"token": token, "token_type_hint": "refresh_token"}
    response = await client.post("/v1/auth/revoke", data=body, headers=FORM)
    assert response.status_code == 200
    assert (await refresh(client, token)).status_code == 400
    for other in (tokens.access_token, "garbage", token):  # always 200, known or not
        again = await client.post("/v1/auth/revoke", data={"token": other}, headers=FORM)
        assert again.status_code == 200
    missing = await client.post("/v1/auth/revoke", data={"token_type_hint": "x"}, headers=FORM)
    assert missing.status_code == 400
    assert oauth_error(missing) == "invalid_request"
    assert "token.revoked" in await audit_actions(app.state.engine, str(user.id))


async def test_admin_revokes_every_session_of_an_official(
    app: FastAPI, client: httpx.AsyncClient, tree: Tree
) -> None:
    target = await _official(app, tree)
    logins = [_refresh_token(await _login(app, target)) for _ in range(2)]
    admin = await _login(app, await _official(app, tree, ADMIN))
    path = f"/v1/auth/officials/{target.id}/sessions/revoke"
    response = await client.post(path, headers=bearer(admin.access_token))
    assert response.status_code == 200, response.text
    assert response.json() == {"revoked_sessions": 2}
    for token in logins:
        assert (await refresh(client, token)).status_code == 400
    assert "sessions.revoked" in await audit_actions(app.state.engine, str(target.id))


async def test_only_admins_over_the_officials_units_revoke_sessions(
    app: FastAPI, client: httpx.AsyncClient, tree: Tree
) -> None:
    target = await _official(app, tree)
    token = _refresh_token(await _login(app, target))
    path = f"/v1/auth/officials/{target.id}/sessions/revoke"
    colleague = await _login(app, await _official(app, tree, PELAKSANA))
    async with transaction(app.state.engine) as session:
        elsewhere = await seed_tree(session)
    stranger = await _login(app, await _official(app, Tree(elsewhere.root, elsewhere.child), ADMIN))
    assert (await client.post(path)).status_code == 401
    assert (await client.post(path, headers=bearer(colleague.access_token))).status_code == 403
    assert (await client.post(path, headers=bearer(stranger.access_token))).status_code == 404
    missing = f"/v1/auth/officials/{uuid.uuid4()}/sessions/revoke"
    assert (await client.post(missing, headers=bearer(stranger.access_token))).status_code == 404
    assert (await refresh(client, token)).status_code == 200  # nothing was revoked


async def _requester(app: FastAPI) -> User:
    async with transaction(app.state.engine) as session:
        tag = uuid.uuid4().hex[:10]
        user = User(kind=UserKind.REQUESTER, email=f"warga-{tag}@example.id", name=f"Warga {tag}")
        session.add(user)
        await session.flush()
        return user


async def test_any_admin_revokes_every_session_of_a_requester(
    app: FastAPI, client: httpx.AsyncClient, tree: Tree
) -> None:
    target, bystander = await _requester(app), await _requester(app)
    logins = [_refresh_token(await _login(app, target)) for _ in range(2)]
    kept = _refresh_token(await _login(app, bystander))
    path = f"/v1/auth/requesters/{target.id}/sessions/revoke"
    # Requesters are nobody's unit: an admin of another badan publik may end them too.
    async with transaction(app.state.engine) as session:
        elsewhere = await seed_tree(session)
    admin = await _login(app, await _official(app, Tree(elsewhere.root, elsewhere.child), ADMIN))
    response = await client.post(path, headers=bearer(admin.access_token))
    assert response.status_code == 200, response.text
    assert response.json() == {"revoked_sessions": 2}
    for token in logins:
        assert (await refresh(client, token)).status_code == 400
    assert (await refresh(client, kept)).status_code == 200
    assert "sessions.revoked" in await audit_actions(app.state.engine, str(target.id))


async def test_only_admins_revoke_a_requesters_sessions(
    app: FastAPI, client: httpx.AsyncClient, tree: Tree
) -> None:
    target = await _requester(app)
    token = _refresh_token(await _login(app, target))
    path = f"/v1/auth/requesters/{target.id}/sessions/revoke"
    ppid = await _login(app, await _official(app, tree, PELAKSANA))
    itself = await _login(app, target)
    assert (await client.post(path)).status_code == 401
    refused = await client.post(path, headers=bearer(ppid.access_token))
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Hanya admin")
    assert (await client.post(path, headers=bearer(itself.access_token))).status_code == 403
    admin = await _login(app, await _official(app, tree, ADMIN))
    official = await _official(app, tree)  # not a requester: the route does not reach it
    for other in (uuid.uuid4(), official.id):
        missing = f"/v1/auth/requesters/{other}/sessions/revoke"
        answer = await client.post(missing, headers=bearer(admin.access_token))
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert (await refresh(client, token)).status_code == 200  # nothing was revoked


async def test_token_endpoint_rejects_malformed_requests(client: httpx.AsyncClient) -> None:
    as_json = await client.post("/v1/auth/token", json={"grant_type": "refresh_token"})
    assert as_json.status_code == 400
    assert oauth_error(as_json) == "invalid_request"
    cases = {
        "grant_type=password&username=a&password=b": "unsupported_grant_type",
        "grant_type=refresh_token": "invalid_request",
        "scope=dip%3Aread": "invalid_request",
        "grant_type=refresh_token&grant_type=client_credentials": "invalid_request",
        "grant_type=refresh_token&refresh_token=abc&scope=dip%3Aread": "invalid_scope",
    }
    for body, error in cases.items():
        response = await client.post("/v1/auth/token", content=body, headers=FORM)
        assert response.status_code == 400, body
        assert oauth_error(response) == error, body


async def _hash_exists(app: FastAPI, token: str) -> bool:
    async with transaction(app.state.engine) as session:
        stmt = sa.select(RefreshToken).where(col(RefreshToken.token_hash) == sha256_hex(token))
        return (await session.scalars(stmt)).first() is not None


async def test_upkeep_drops_long_expired_refresh_tokens(
    app: FastAPI, database_url: str, tree: Tree
) -> None:
    user = await _official(app, tree)
    old = _refresh_token(await _login(app, user))
    recent = _refresh_token(await _login(app, user))
    for token, age in ((old, "8 days"), (recent, "1 day")):
        async with transaction(app.state.engine) as session:
            await session.execute(
                sa.update(RefreshToken)
                .where(col(RefreshToken.token_hash) == sha256_hex(token))
                .values(expires_at=sa.func.now() - sa.text(f"interval '{age}'"))
            )
    replica = create_app(settings_for(database_url, key_rotation_check_seconds=0.1))
    async with in_lifespan(replica):
        for _ in range(50):
            await asyncio.sleep(0.1)
            if not await _hash_exists(app, old):
                break
    assert not await _hash_exists(app, old)
    assert await _hash_exists(app, recent)  # a week's grace: a replay still counts as reuse
