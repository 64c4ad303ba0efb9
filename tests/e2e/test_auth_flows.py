"""Issue 3, end to end through the gateway: officials, clients and requesters.

The stack is what `make run` starts (demo data included), with auth's email going to
a real SMTP server on loopback that this test reads.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator

import httpx
import pyotp
import pytest
from auth_service.demo.data import ACCOUNTS, ROOT_ID, DemoAccount

from tests.e2e.launcher import Stack, launched
from tests.support.smtp import SmtpServer, smtp_server

MFA_ROLES = ("admin", "ppid_utama", "atasan_ppid")
# A TOTP code works once (RFC 6238 5.2); the server accepts one step either side, so each
# login of the module takes the next unused step.
_steps = itertools.count(0)
# Every secret the flows below handle (passwords, tokens, client secrets, emailed link
# tokens; not the 6-digit TOTP codes, which any number may contain); the last test looks
# for each in the stack's logs.
SECRETS: list[str] = []


def keep(*values: str | None) -> None:
    SECRETS.extend(value for value in values if value)


def account(role: str | None) -> DemoAccount:
    return next(a for a in ACCOUNTS if a.role == role)


@pytest.fixture(scope="module")
def mailbox() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def stack(pg_server: object, mailbox: SmtpServer) -> Iterator[Stack]:
    smtp = {"AUTH_SMTP_HOST": mailbox.host, "AUTH_SMTP_PORT": str(mailbox.port)}
    with launched(extra_env=smtp) as running:
        yield running


@pytest.fixture(scope="module")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url()) as client:
        yield client


def tokens_of(response: httpx.Response) -> httpx.Response:
    if response.is_success:
        body = response.json()
        keep(body.get("access_token"), body.get("refresh_token"))
    return response


def login(gateway: httpx.Client, who: DemoAccount, **extra: str) -> httpx.Response:
    body = {"email": who.email, "password": who.password, **extra}
    return tokens_of(gateway.post("/v1/auth/login", json=body))


def refresh(gateway: httpx.Client, token: str) -> httpx.Response:
    form = {"grant_type": "refresh_token", "refresh_token": token}
    return tokens_of(gateway.post("/v1/auth/token", data=form))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def admin_tokens(gateway: httpx.Client) -> dict[str, str]:
    admin = account("admin")
    secret = admin.totp_secret(MFA_ROLES)
    assert secret is not None
    without = login(gateway, admin)
    assert without.status_code == 401
    assert without.json()["type"] == "/problems/mfa-required"
    step = next(_steps)
    assert step <= 1, "more admin logins than fresh TOTP steps"
    code = pyotp.TOTP(secret).at(time.time() + 30 * step)
    response = login(gateway, admin, otp=code)
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


def test_an_official_logs_in_refreshes_is_caught_reusing_and_logs_out(
    gateway: httpx.Client,
) -> None:
    first = admin_tokens(gateway)
    me = gateway.get("/v1/auth/me", headers=bearer(first["access_token"]))
    assert me.status_code == 200
    assert {g["role"] for g in me.json()["grants"]} == {"admin"}
    second = refresh(gateway, first["refresh_token"])
    assert second.status_code == 200
    newest = second.json()["refresh_token"]
    assert newest != first["refresh_token"]
    reused = refresh(gateway, first["refresh_token"])
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    assert refresh(gateway, newest).status_code == 400, "the whole family is revoked"
    third = login(gateway, account("ppid_pelaksana")).json()
    out = gateway.post("/v1/auth/logout", json={"refresh_token": third["refresh_token"]})
    assert out.status_code == 204
    assert refresh(gateway, third["refresh_token"]).status_code == 400


def test_a_client_gets_a_token_with_client_credentials(gateway: httpx.Client) -> None:
    admin = admin_tokens(gateway)["access_token"]
    created = gateway.post(
        "/v1/auth/clients",
        headers=bearer(admin),
        json={"name": "Aplikasi Warga", "root_id": str(ROOT_ID), "scopes": ["dip:read"]},
    )
    assert created.status_code == 201, created.text
    client_id, secret = created.json()["client_id"], created.json()["client_secret"]
    keep(secret)
    issued = tokens_of(
        gateway.post(
            "/v1/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
    )
    assert issued.status_code == 200, issued.text
    assert issued.json()["scope"] == "dip:read"
    assert "refresh_token" not in issued.json() or issued.json()["refresh_token"] is None
    wrong = gateway.post(
        "/v1/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, "x" * 43)
    )
    assert wrong.status_code == 401


def test_a_requester_registers_verifies_by_the_emailed_link_and_logs_in(
    gateway: httpx.Client, mailbox: SmtpServer
) -> None:
    email, password = "warga.baru@example.org", "Kopi-Tubruk-di-Pagi-Hari-17"
    body = {"email": email, "name": "Warga Baru", "password": password}
    keep(password)
    assert gateway.post("/v1/auth/requesters", json=body).status_code == 202
    refused = gateway.post("/v1/auth/login", json={"email": email, "password": password})
    assert refused.status_code in (401, 403), "unverified requesters cannot log in yet"
    [mail] = mailbox.wait_for_sync(1, to=email, within=30)
    match = re.search(r"token=([A-Za-z0-9_\-]+)", mail.text)
    assert match is not None, mail.text
    keep(match.group(1))
    verified = gateway.post("/v1/auth/email-verifications", json={"token": match.group(1)})
    assert verified.status_code == 204, verified.text
    tokens = tokens_of(gateway.post("/v1/auth/login", json={"email": email, "password": password}))
    assert tokens.status_code == 200, tokens.text
    me = gateway.get("/v1/auth/me", headers=bearer(tokens.json()["access_token"]))
    assert me.status_code == 200
    assert me.json()["grants"] == []


def test_no_password_secret_or_token_in_any_log(stack: Stack) -> None:
    """Runs last in this module: the four services' and the launcher's output, all of it."""
    log = stack.log()
    assert '"msg": "request"' in log, "the services' request logs are in the file"
    assert len(SECRETS) >= 10, len(SECRETS)
    parts = [part for value in SECRETS if value.count(".") == 2 for part in value.split(".")[2:]]
    leaks = [value for value in [*SECRETS, *parts] if value in log]
    assert not leaks, f"{len(leaks)} secrets found in the logs"
    # `make run` prints the demo logins once, on purpose; nothing logs them again.
    for who in (account("admin"), account("ppid_pelaksana")):
        assert log.count(who.password) == 1, who.role
