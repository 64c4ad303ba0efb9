"""TOTP enrolment, logins with codes and recovery codes, MFA required by role (RFC 6238)."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import httpx
import pyotp
import pytest
import sqlalchemy as sa
from auth_service.main import create_app

from tests.auth.accounts.support import (
    Json,
    Tree,
    audit_rows,
    bearer,
    dumped,
    login,
    seed_user,
    settings_for,
)
from tests.services.support import database_session, serve


@pytest.fixture(scope="module")
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(create_app(settings_for(database_url))) as client:
        yield client


def code_at(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


async def enrol(client: httpx.AsyncClient, token: str) -> tuple[str, Json]:
    """Start and confirm enrolment with `token`; the secret and the confirmation body."""
    started = await client.post("/v1/auth/mfa/totp", headers=bearer(token))
    assert started.status_code == 201, started.text
    secret = started.json()["secret"]
    assert started.json()["otpauth_uri"].startswith("otpauth://totp/")
    confirmed = await client.post(
        "/v1/auth/mfa/totp/confirm", json={"code": code_at(secret)}, headers=bearer(token)
    )
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()


async def enrolment_token(client: httpx.AsyncClient, email: str) -> str:
    refused = await login(client, email)
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert body["type"].endswith("/mfa-enrollment-required")
    assert "access_token" not in body
    assert "refresh_token" not in body
    return str(body["enrollment_token"])


@pytest.mark.parametrize("role", ["admin", "ppid_utama", "atasan_ppid"])
async def test_these_roles_get_no_session_without_totp(
    client: httpx.AsyncClient, database_url: str, tree: Tree, role: str
) -> None:
    user = await seed_user(database_url, grants=((role, tree.dinkes),))
    token = await enrolment_token(client, user.email)
    # The enrolment token opens nothing else: not the profile, not an admin list.
    me = await client.get("/v1/auth/me", headers=bearer(token))
    assert me.status_code == 403
    assert me.json()["type"].endswith("/restricted-token")
    officials = await client.get("/v1/auth/officials", headers=bearer(token))
    assert officials.status_code == 403
    refresh = await client.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": token}
    )
    assert refresh.status_code in (400, 401)


async def test_other_roles_log_in_without_totp(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    user = await seed_user(database_url, grants=(("ppid_pelaksana", tree.upt),))
    assert (await login(client, user.email)).status_code == 200


async def test_enrolment_finishes_the_login_and_codes_are_single_use(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    user = await seed_user(database_url, grants=(("ppid_utama", tree.diskominfo),))
    token = await enrolment_token(client, user.email)
    early = await client.post(
        "/v1/auth/mfa/totp/confirm", json={"code": "000000"}, headers=bearer(token)
    )
    assert early.status_code == 409, early.text
    assert (await client.post("/v1/auth/mfa/totp", headers=bearer(token))).status_code == 201
    wrong = await client.post(
        "/v1/auth/mfa/totp/confirm", json={"code": "000000"}, headers=bearer(token)
    )
    assert wrong.status_code == 403
    assert wrong.json()["type"].endswith("/otp-rejected")
    secret, confirmed = await enrol(client, token)  # starting again replaces the secret
    assert len(confirmed["recovery_codes"]) == 10 == len(set(confirmed["recovery_codes"]))
    session = confirmed["tokens"]
    assert session["refresh_token"]
    assert session["scope"] is None
    me = await client.get("/v1/auth/me", headers=bearer(session["access_token"]))
    assert me.status_code == 200
    assert me.json()["mfa_enabled"] is True

    no_code = await login(client, user.email)
    assert no_code.status_code == 401
    assert no_code.json()["type"].endswith("/mfa-required")
    bad = await login(client, user.email, otp=f"{(int(code_at(secret)) + 1) % 10**6:06d}")
    assert bad.status_code == 401
    assert bad.json()["type"].endswith("/invalid-otp")
    # The code that confirmed enrolment was used: its step is spent.
    reused = await login(client, user.email, otp=code_at(secret))
    assert reused.status_code == 401
    assert reused.json()["type"].endswith("/invalid-otp")
    fresh = code_at(secret, 1)
    assert (await login(client, user.email, otp=fresh)).status_code == 200
    assert (await login(client, user.email, otp=fresh)).status_code == 401

    recovery = confirmed["recovery_codes"][3]
    assert (await login(client, user.email, recovery_code=recovery.upper())).status_code == 200
    again = await login(client, user.email, recovery_code=recovery)
    assert again.status_code == 401
    assert again.json()["type"].endswith("/invalid-otp")


async def test_the_secret_is_sealed_at_rest(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    user = await seed_user(database_url, grants=(("admin", tree.root_b),))
    secret, confirmed = await enrol(client, await enrolment_token(client, user.email))
    async with database_session(database_url) as session:
        row = (
            await session.execute(sa.text("SELECT * FROM users WHERE id = :id"), {"id": user.id})
        ).one()
        codes = (
            await session.execute(
                sa.text("SELECT code_hash FROM mfa_recovery_codes WHERE user_id = :id"),
                {"id": user.id},
            )
        ).all()
    assert row.totp_secret_enc.startswith("v1:")
    assert secret not in row.totp_secret_enc
    assert row.totp_last_step is not None
    stored = dumped([dict(c._mapping) for c in codes])
    assert len(codes) == 10
    assert not any(code in stored for code in confirmed["recovery_codes"])


async def test_totp_cannot_be_removed_while_a_role_requires_it(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    user = await seed_user(database_url, grants=(("atasan_ppid", tree.root_a),))
    secret, confirmed = await enrol(client, await enrolment_token(client, user.email))
    headers = bearer(confirmed["tokens"]["access_token"])
    refused = await client.request(
        "DELETE", "/v1/auth/mfa/totp", json={"code": code_at(secret, 1)}, headers=headers
    )
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/mfa-required-by-role")


async def test_optional_totp_can_be_removed_with_a_code(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    user = await seed_user(database_url, grants=(("petugas_layanan", tree.upt),))
    first = await login(client, user.email)
    token = first.json()["access_token"]
    secret, confirmed = await enrol(client, token)
    assert confirmed["tokens"] is None  # a full session enrolled: nothing new to hand out
    assert (await login(client, user.email)).status_code == 401
    wrong = await client.request(
        "DELETE", "/v1/auth/mfa/totp", json={"code": "123456"}, headers=bearer(token)
    )
    assert wrong.status_code == 403
    removed = await client.request(
        "DELETE", "/v1/auth/mfa/totp", json={"code": code_at(secret, 1)}, headers=bearer(token)
    )
    assert removed.status_code == 204, removed.text
    assert (await login(client, user.email)).status_code == 200


async def test_regenerated_recovery_codes_replace_the_old_ones(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    user = await seed_user(database_url, grants=(("admin", tree.upt),))
    secret, confirmed = await enrol(client, await enrolment_token(client, user.email))
    headers = bearer(confirmed["tokens"]["access_token"])
    renewed = await client.post(
        "/v1/auth/mfa/recovery-codes", json={"code": code_at(secret, 1)}, headers=headers
    )
    assert renewed.status_code == 200, renewed.text
    new_codes = renewed.json()["recovery_codes"]
    assert set(new_codes).isdisjoint(confirmed["recovery_codes"])
    assert (
        await login(client, user.email, recovery_code=confirmed["recovery_codes"][0])
    ).status_code == 401
    assert (await login(client, user.email, recovery_code=new_codes[0])).status_code == 200


async def test_wrong_codes_count_towards_the_lockout(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    user = await seed_user(database_url, grants=(("admin", tree.opd_b),))
    secret, _ = await enrol(client, await enrolment_token(client, user.email))
    answers = [(await login(client, user.email, otp="000000")).status_code for _ in range(5)]
    assert answers == [401, 401, 401, 401, 429]
    assert (await login(client, user.email, otp=code_at(secret, 1))).status_code == 429


async def test_mfa_changes_are_audited_without_secrets_or_codes(
    client: httpx.AsyncClient, database_url: str, tree: Tree
) -> None:
    user = await seed_user(database_url, grants=(("ppid_utama", tree.opd_b),))
    secret, confirmed = await enrol(client, await enrolment_token(client, user.email))
    used = code_at(secret, 1)
    await login(client, user.email, otp=used)
    rows = await audit_rows(database_url)
    actions = {row["action"] for row in rows if row["object_id"] == str(user.id)}
    assert {
        "login.mfa_enrollment_required",
        "mfa.totp_enrolment_started",
        "mfa.totp_enabled",
        "login.succeeded",
    } <= actions
    everything = dumped(rows)
    for leaked in (secret, used, user.email, *confirmed["recovery_codes"]):
        assert leaked not in everything
    assert uuid.UUID(rows[-1]["object_id"])
