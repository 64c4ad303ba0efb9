"""Password reset by emailed link: single use, one hour, ends sessions, lifts the lockout."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.auth.requesters.support import (
    PASSWORD,
    RESET_BASE,
    address,
    execute,
    fetch,
    link_token,
    login,
    verified_requester,
)
from tests.support.smtp import Received, SmtpServer

NEW_PASSWORD = "teh-tarik-malam-minggu"
_RESET_SUBJECT = "Atur ulang kata sandi / Reset your password"


async def ask_reset(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/v1/auth/password-resets", json={"email": email})


async def confirm(client: httpx.AsyncClient, token: str, password: str) -> httpx.Response:
    body = {"token": token, "new_password": password}
    return await client.post("/v1/auth/password-resets/confirm", json=body)


async def reset_mail(smtp: SmtpServer, email: str) -> Received:
    return (await smtp.wait_for(1, to=email, subject=_RESET_SUBJECT))[-1]


async def refresh(client: httpx.AsyncClient, tokens: dict[str, Any]) -> httpx.Response:
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    return await client.post("/v1/auth/token", data=form)


async def test_reset_sets_the_password_ends_sessions_and_works_once(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    email = address("lupa")
    session = await verified_requester(client, smtp, email)
    assert (await ask_reset(client, email)).status_code == 202
    token = link_token(await reset_mail(smtp, email), RESET_BASE)
    weak = await confirm(client, token, "password1234")
    assert weak.status_code == 422  # refused, and the link is not spent by it
    assert (await confirm(client, token, NEW_PASSWORD)).status_code == 204
    assert (await confirm(client, token, NEW_PASSWORD + "!")).status_code == 400
    assert (await refresh(client, session)).status_code == 400  # the old session is over
    assert (await login(client, email, PASSWORD)).status_code == 401
    assert (await login(client, email, NEW_PASSWORD)).status_code == 200
    changed = "Kata sandi Anda telah diubah / Your password was changed"
    [notice] = await smtp.wait_for(1, to=email, subject=changed)
    assert "PPID" in notice.text
    audit = await fetch(
        database_url, "SELECT details FROM audit_log WHERE action = 'requester.password_reset'"
    )
    assert audit
    assert all(row.details == {} for row in audit)


async def test_a_reset_lifts_the_login_lockout(client: httpx.AsyncClient, smtp: SmtpServer) -> None:
    email = address("terkunci")
    await verified_requester(client, smtp, email)
    for _ in range(6):
        await login(client, email, "bukan-kata-sandinya")
    assert (await login(client, email, PASSWORD)).status_code == 429  # locked out
    await ask_reset(client, email)
    token = link_token(await reset_mail(smtp, email), RESET_BASE)
    assert (await confirm(client, token, NEW_PASSWORD)).status_code == 204
    assert (await login(client, email, NEW_PASSWORD)).status_code == 200


async def test_a_reset_link_expires_after_an_hour(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    email = address("telat")
    await verified_requester(client, smtp, email)
    await ask_reset(client, email)
    token = link_token(await reset_mail(smtp, email), RESET_BASE)
    [link] = await fetch(
        database_url,
        "SELECT t.id, t.expires_at - t.created_at AS ttl FROM email_tokens t "
        "JOIN users u ON u.id = t.user_id WHERE u.email = :e AND t.purpose = 'reset'",
        e=email,
    )
    assert link.ttl.total_seconds() == 3600
    await execute(
        database_url,
        "UPDATE email_tokens SET expires_at = now() - interval '1 second' WHERE id = :i",
        i=link.id,
    )
    expired = await confirm(client, token, NEW_PASSWORD)
    assert expired.status_code == 400
    assert expired.json()["type"].endswith("/problems/invalid-link")
    assert (await login(client, email, PASSWORD)).status_code == 200


async def test_reset_answers_alike_for_every_address_and_mails_only_requesters(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    email, stranger = address("lupa"), address("asing")
    await verified_requester(client, smtp, email)
    known, unknown = await ask_reset(client, email), await ask_reset(client, stranger)
    assert (known.status_code, known.text) == (unknown.status_code, unknown.text)
    assert known.status_code == 202
    await reset_mail(smtp, email)
    await asyncio.sleep(0.3)
    assert smtp.to(stranger) == []
    rows = await fetch(
        database_url, "SELECT 1 FROM outbox_messages WHERE recipient = :e", e=stranger
    )
    assert rows == []
