"""POST /v1/auth/login: credentials, lockout per account and per address, audit."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator
from ipaddress import ip_network

import httpx
import pytest
import sqlalchemy as sa
from auth_service.accounts.lockout import client_address
from auth_service.accounts.models import UserKind
from auth_service.main import create_app
from starlette.requests import Request

from tests.auth.accounts.support import (
    PASSWORD,
    audit_rows,
    comparable,
    dumped,
    login,
    new_address,
    seed_user,
    settings_for,
    unique_email,
)
from tests.services.support import database_session, serve

THRESHOLD = 3
ADDRESS_LIMIT = 8


@pytest.fixture(scope="module")
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = settings_for(
        database_url,
        lockout_threshold=THRESHOLD,
        lockout_base_seconds=1,
        lockout_max_seconds=4,
        address_failure_limit=ADDRESS_LIMIT,
        address_failure_window_seconds=60,
    )
    async with serve(create_app(settings)) as client:
        yield client


def retry_after(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    return int(response.headers["Retry-After"])


async def test_a_good_login_returns_a_session(client: httpx.AsyncClient, database_url: str) -> None:
    user = await seed_user(database_url)
    response = await login(client, user.email.upper())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["refresh_token"]
    assert response.headers["Cache-Control"] == "no-store"
    me = await client.get(
        "/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["id"] == str(user.id)


async def test_wrong_password_and_unknown_email_answer_alike(
    client: httpx.AsyncClient, database_url: str
) -> None:
    user = await seed_user(database_url)
    wrong = await login(client, user.email, "not-the-password-1")
    unknown = await login(client, unique_email("nobody"), "not-the-password-1")
    assert wrong.status_code == unknown.status_code == 401
    assert comparable(wrong.json()) == comparable(unknown.json())
    assert wrong.json()["type"].endswith("/invalid-credentials")
    assert wrong.headers.get("www-authenticate") == unknown.headers.get("www-authenticate")


async def test_unknown_emails_take_as_long_as_known_ones(
    client: httpx.AsyncClient, database_url: str
) -> None:
    user = await seed_user(database_url)

    async def timed(email: str) -> float:
        started = time.perf_counter()
        response = await login(client, email, "not-the-password-1")
        assert response.status_code == 401
        return time.perf_counter() - started

    known, unknown = [], []
    for _ in range(2):  # below the threshold: each pair of tries is a fresh account key
        known.append(await timed(user.email))
        unknown.append(await timed(unique_email("nobody")))
    await login(client, user.email)  # clears the count
    for _ in range(2):
        known.append(await timed(user.email))
        unknown.append(await timed(unique_email("nobody")))
    # Without the dummy verification an unknown email answers in ~2 ms instead of ~40.
    assert statistics.median(unknown) > statistics.median(known) * 0.6, (known, unknown)


async def test_the_account_locks_after_the_threshold_and_backs_off(
    client: httpx.AsyncClient, database_url: str
) -> None:
    user = await seed_user(database_url)
    for _ in range(THRESHOLD - 1):
        assert (await login(client, user.email, "salah-lagi-salah-1")).status_code == 401
    locking = await login(client, user.email, "salah-lagi-salah-1")
    assert retry_after(locking) == 1
    assert locking.json()["type"].endswith("/account-locked")
    # The right password from another address is refused too, with the same answer.
    right = await login(client, user.email)
    wrong = await login(client, user.email, "salah-lagi-salah-1")
    assert comparable(right.json()) == comparable(wrong.json())
    assert retry_after(right) == retry_after(wrong) == 1
    waits = []
    for _ in range(3):  # each failure after a lock expires doubles it, up to the maximum
        await asyncio.sleep(retry_after(await login(client, user.email, "x" * 12)) + 0.1)
        waits.append(retry_after(await login(client, user.email, "salah-lagi-salah-1")))
    assert waits == [2, 4, 4]


async def test_the_lock_expires_and_a_good_login_clears_the_count(
    client: httpx.AsyncClient, database_url: str
) -> None:
    user = await seed_user(database_url)
    for _ in range(THRESHOLD):
        await login(client, user.email, "salah-lagi-salah-1")
    locked = await login(client, user.email)
    await asyncio.sleep(retry_after(locked) + 0.1)
    assert (await login(client, user.email)).status_code == 200
    for _ in range(THRESHOLD - 1):  # counting starts again from zero
        assert (await login(client, user.email, "salah-lagi-salah-1")).status_code == 401
    assert (await login(client, user.email)).status_code == 200


async def test_unknown_emails_lock_like_known_ones(client: httpx.AsyncClient) -> None:
    email = unique_email("nobody")
    answers = [await login(client, email, "salah-lagi-salah-1") for _ in range(THRESHOLD + 1)]
    assert [a.status_code for a in answers] == [401] * (THRESHOLD - 1) + [429, 429]
    assert answers[-1].json()["type"].endswith("/account-locked")


async def test_one_address_is_blocked_after_failures_across_accounts(
    client: httpx.AsyncClient, database_url: str
) -> None:
    victim = await seed_user(database_url)
    spraying = new_address()
    for _ in range(ADDRESS_LIMIT):  # one try per account: no account lock is reached
        assert (
            await login(client, unique_email("spray"), "Musim-Hujan-2024", address=spraying)
        ).status_code == 401
    blocked = await login(client, victim.email, address=spraying)
    assert retry_after(blocked) > 1
    assert blocked.json()["type"].endswith("/rate-limited")
    assert (await login(client, victim.email, address=new_address())).status_code == 200


async def test_an_address_blocked_again_at_once_is_blocked_longer_each_time(
    database_url: str,
) -> None:
    settings = settings_for(
        database_url,
        address_failure_limit=2,
        address_failure_window_seconds=1,
        address_lockout_max_seconds=3,
    )
    spraying = new_address()

    async def block(client: httpx.AsyncClient) -> int:
        """Fail up to the limit from the address (new account each time); the block's length."""
        for _ in range(2):
            tried = await login(client, unique_email("spray"), "Musim-Hujan-2024", address=spraying)
            assert tried.status_code == 401
        blocked = await login(client, unique_email("spray"), address=spraying)
        assert blocked.json()["type"].endswith("/rate-limited")
        return retry_after(blocked)

    async with serve(create_app(settings)) as client:
        waits = []
        for _ in range(3):  # each block right after the last one doubles it, up to the maximum
            waits.append(await block(client))
            await asyncio.sleep(waits[-1] + 0.1)
        assert waits == [1, 2, 3]
        await asyncio.sleep(1.1)  # a quiet window ends the streak
        assert await block(client) == 1


async def test_requesters_need_a_verified_email(
    client: httpx.AsyncClient, database_url: str
) -> None:
    fresh = await seed_user(database_url, kind=UserKind.REQUESTER, verified=False, prefix="warga")
    refused = await login(client, fresh.email)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/email-not-verified")
    verified = await seed_user(database_url, kind=UserKind.REQUESTER, prefix="warga")
    assert (await login(client, verified.email)).status_code == 200


async def test_deactivated_accounts_answer_like_wrong_passwords(
    client: httpx.AsyncClient, database_url: str
) -> None:
    user = await seed_user(database_url)
    async with database_session(database_url) as session:
        await session.execute(
            sa.text("UPDATE users SET is_active = false WHERE id = :id"), {"id": user.id}
        )
    response = await login(client, user.email)
    assert response.status_code == 401
    assert response.json()["type"].endswith("/invalid-credentials")


async def test_logins_failures_and_locks_are_audited_without_secrets(
    client: httpx.AsyncClient, database_url: str
) -> None:
    user = await seed_user(database_url)
    await login(client, user.email)
    for _ in range(THRESHOLD):
        await login(client, user.email, "rahasia-salah-sekali")
    rows = await audit_rows(database_url, "login.succeeded", "login.failed", "login.locked")
    mine = [row for row in rows if row["object_id"] == str(user.id)]
    assert {row["action"] for row in mine} == {"login.succeeded", "login.failed", "login.locked"}
    assert [r["details"]["failures"] for r in mine if r["action"] == "login.failed"][
        -1
    ] == THRESHOLD
    everything = dumped(await audit_rows(database_url))
    for secret in (user.email, PASSWORD, "rahasia-salah-sekali", "@kota-contoh.go.id"):
        assert secret not in everything


async def test_no_email_or_address_is_stored_with_the_counts(
    client: httpx.AsyncClient, database_url: str
) -> None:
    address = new_address()
    email = unique_email("jejak")
    await login(client, email, "salah-lagi-salah-1", address=address)
    async with database_session(database_url) as session:
        rows = (await session.execute(sa.text("SELECT * FROM login_failures"))).all()
    stored = dumped([dict(row._mapping) for row in rows])
    assert len(rows) >= 2
    assert email not in stored
    assert address not in stored


def request_from(peer: str, forwarded: str | None) -> Request:
    headers = [] if forwarded is None else [(b"x-forwarded-for", forwarded.encode())]
    return Request({"type": "http", "client": (peer, 4321), "headers": headers})


def test_the_forwarded_address_is_believed_only_from_trusted_proxies() -> None:
    trusted = [ip_network("10.0.0.0/8")]
    assert client_address(request_from("10.0.0.5", "203.0.113.7"), trusted) == "203.0.113.7"
    # A client's own X-Forwarded-For entry before ours is not believed: the nearest untrusted hop.
    chain = "192.0.2.1, 203.0.113.7, 10.0.0.9"
    assert client_address(request_from("10.0.0.5", chain), trusted) == "203.0.113.7"
    assert client_address(request_from("203.0.113.9", "192.0.2.1"), trusted) == "203.0.113.9"
    assert client_address(request_from("10.0.0.5", None), trusted) == "10.0.0.5"


async def test_without_trusted_proxies_the_peer_address_counts(database_url: str) -> None:
    settings = settings_for(database_url, trusted_proxies=[], address_failure_limit=3)
    user = await seed_user(database_url)
    async with serve(create_app(settings)) as direct:
        for _ in range(3):  # each claims another address; all come from the same peer
            await login(direct, unique_email("spray"), "Musim-Hujan-2024")
        blocked = await login(direct, user.email)
    assert blocked.status_code == 429
    assert blocked.json()["type"].endswith("/rate-limited")
