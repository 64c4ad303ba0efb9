"""Registration and email verification, end to end: the app's own worker mails real SMTP."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.auth.requesters.support import (
    VERIFY_BASE,
    address,
    execute,
    fetch,
    has_link,
    link_token,
    login,
    register,
    verify,
)
from tests.support.smtp import SmtpServer


async def test_register_follow_the_emailed_link_then_log_in(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    email = address()
    registered = await register(client, email.upper())  # addresses are compared lower-cased
    assert registered.status_code == 202
    [mail] = await smtp.wait_for(1, to=email)
    assert mail.subject == "Konfirmasi alamat email Anda / Confirm your email address"
    assert mail.text.index("Buka tautan") < mail.text.index("-- English --")
    refused = await login(client, email)
    assert refused.status_code == 403, refused.text  # not confirmed yet
    assert (await verify(client, link_token(mail, VERIFY_BASE))).status_code == 204
    logged_in = await login(client, email)
    assert logged_in.status_code == 200, logged_in.text
    assert logged_in.json()["refresh_token"]
    [user] = await fetch(database_url, "SELECT * FROM users WHERE email = :e", e=email)
    assert user.kind == "requester"
    assert user.email_verified_at is not None
    assert user.password_hash.startswith("$argon2id$")


async def test_a_link_works_once(client: httpx.AsyncClient, smtp: SmtpServer) -> None:
    email = address()
    await register(client, email)
    [mail] = await smtp.wait_for(1, to=email)
    token = link_token(mail, VERIFY_BASE)
    assert (await verify(client, token)).status_code == 204
    again = await verify(client, token)
    assert again.status_code == 400
    assert again.json()["type"].endswith("/problems/invalid-link")
    assert token not in again.text


async def test_an_expired_or_unknown_link_is_refused(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    email = address()
    await register(client, email)
    [mail] = await smtp.wait_for(1, to=email)
    [user] = await fetch(database_url, "SELECT id FROM users WHERE email = :e", e=email)
    [ttl] = await fetch(
        database_url,
        "SELECT expires_at - created_at AS ttl FROM email_tokens WHERE user_id = :u",
        u=user.id,
    )
    assert ttl.ttl.total_seconds() == 24 * 3600
    await execute(
        database_url,
        "UPDATE email_tokens SET expires_at = now() - interval '1 second' WHERE user_id = :u",
        u=user.id,
    )
    expired = await verify(client, link_token(mail, VERIFY_BASE))
    unknown = await verify(client, "x" * 43)
    assert (expired.status_code, unknown.status_code) == (400, 400)
    assert expired.json()["type"] == unknown.json()["type"]
    assert (await login(client, email)).status_code == 403  # still not confirmed


async def test_registering_a_taken_address_answers_alike_and_only_notifies_the_owner(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    email = address()
    first = await register(client, email)
    [mail] = await smtp.wait_for(1, to=email)
    await verify(client, link_token(mail, VERIFY_BASE))
    second = await register(client, email, password="teh-tarik-malam-hari")
    assert (second.status_code, second.json()) == (first.status_code, first.json())
    notice = (await smtp.wait_for(2, to=email))[1]
    assert notice.subject == "Akun Anda sudah terdaftar / You already have an account"
    assert not has_link(notice)
    assert (await login(client, email)).status_code == 200  # the password did not change
    assert (await login(client, email, "teh-tarik-malam-hari")).status_code == 401
    rows = await fetch(database_url, "SELECT 1 FROM users WHERE email = :e", e=email)
    assert len(rows) == 1


async def test_registering_again_before_confirming_kills_the_earlier_link(
    client: httpx.AsyncClient, smtp: SmtpServer
) -> None:
    """The latest registration of an unconfirmed address wins (no pre-hijacking)."""
    email = address()
    await register(client, email, password="password-si-penyerobot")
    await register(client, email)
    first, second = await smtp.wait_for(2, to=email)
    assert (await verify(client, link_token(first, VERIFY_BASE))).status_code == 400
    assert (await verify(client, link_token(second, VERIFY_BASE))).status_code == 204
    assert (await login(client, email, "password-si-penyerobot")).status_code == 401
    assert (await login(client, email)).status_code == 200


async def test_a_weak_password_is_refused_before_anything_is_sent(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    email = address()
    weak = await register(client, email, password="password1234")
    assert weak.status_code == 422
    assert weak.json()["type"].endswith("/problems/weak-password")
    assert await fetch(database_url, "SELECT 1 FROM users WHERE email = :e", e=email) == []
    await asyncio.sleep(0.3)  # several worker polls
    assert smtp.to(email) == []


async def test_a_retried_registration_with_its_key_registers_and_mails_once(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    email, key = address(), str(uuid.uuid4())
    first = await register(client, email, **{"Idempotency-Key": key})
    retry = await register(client, email, **{"Idempotency-Key": key})
    other = await register(client, address(), **{"Idempotency-Key": key})
    assert (retry.status_code, retry.json()) == (first.status_code, first.json())
    assert other.status_code == 422
    assert other.json()["type"].endswith("/problems/idempotency-key-reused")
    await smtp.wait_for(1, to=email)
    await asyncio.sleep(0.3)
    assert len(smtp.to(email)) == 1
    [stored] = await fetch(
        database_url, "SELECT fingerprint FROM idempotency_keys WHERE key = :k", k=key
    )
    assert stored.fingerprint  # a hash of the address and name: never of the password


async def test_resend_answers_alike_and_is_rate_limited_per_account(
    client: httpx.AsyncClient, smtp: SmtpServer
) -> None:
    email, stranger = address(), address("asing")
    await register(client, email)
    answers = [
        await client.post("/v1/auth/email-verifications/resend", json={"email": to})
        for to in (stranger, email, email, email, email)
    ]
    assert {(r.status_code, r.text) for r in answers} == {(202, answers[0].text)}
    await smtp.wait_for(3, to=email)
    await asyncio.sleep(0.3)
    mails = smtp.to(email)
    assert len(mails) == 3  # the registration's link and two more: three per hour
    assert smtp.to(stranger) == []
    assert (await verify(client, link_token(mails[0], VERIFY_BASE))).status_code == 204
    assert (await verify(client, link_token(mails[2], VERIFY_BASE))).status_code == 400


async def test_a_registration_never_confirmed_is_erased_once_its_links_are_long_dead(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    """DOMAIN.md 17: data nobody confirmed is not kept; confirmed accounts stay."""
    abandoned, confirmed = address("lupa"), address("aktif")
    await register(client, abandoned)
    await register(client, confirmed)
    [mail] = await smtp.wait_for(1, to=confirmed)
    await verify(client, link_token(mail, VERIFY_BASE))
    await execute(
        database_url,
        "UPDATE email_tokens SET created_at = now() - interval '9 days', "
        "expires_at = now() - interval '8 days' WHERE user_id IN "
        "(SELECT id FROM users WHERE email IN (:a, :c))",
        a=abandoned,
        c=confirmed,
    )
    await client.post("/v1/auth/password-resets", json={"email": address("siapa")})
    emails = {row.email for row in await fetch(database_url, "SELECT email FROM users")}
    assert abandoned not in emails
    assert confirmed in emails
    assert (await register(client, abandoned)).status_code == 202  # the address is free again
    assert has_link((await smtp.wait_for(2, to=abandoned))[1])
