"""A requester's own account: read with ETag, change with If-Match, change email, delete."""

from __future__ import annotations

import httpx
from auth_service.accounts.models import User, UserKind
from auth_service.accounts.passwords import hash_password

from tests.auth.requesters.support import (
    PASSWORD,
    VERIFY_BASE,
    address,
    bearer,
    fetch,
    link_token,
    login,
    verified_requester,
    verify,
)
from tests.services.support import database_session
from tests.support.smtp import SmtpServer

ME = "/v1/auth/requesters/me"


async def test_read_then_change_name_and_phone_with_if_match(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    email = address("saya")
    auth = bearer(await verified_requester(client, smtp, email))
    read = await client.get(ME, headers=auth)
    assert read.status_code == 200
    assert read.json()["email"] == email
    assert read.json()["phone"] is None
    assert read.headers["cache-control"] == "private, no-cache"
    etag = read.headers["etag"]
    assert (await client.get(ME, headers={**auth, "If-None-Match": etag})).status_code == 304
    change = {"name": "Siti R.", "phone": "+6281234567890"}
    assert (await client.patch(ME, json=change, headers=auth)).status_code == 428
    changed = await client.patch(ME, json=change, headers={**auth, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Siti R."
    assert changed.json()["phone"] == "+6281234567890"
    assert changed.headers["etag"] != etag
    stale = await client.patch(ME, json={"name": "Lain"}, headers={**auth, "If-Match": etag})
    assert stale.status_code == 412  # a lost update is refused
    [audit] = await fetch(
        database_url,
        "SELECT details FROM audit_log WHERE action = 'requester.profile_updated' "
        "AND object_id = :i",
        i=read.json()["id"],
    )
    assert audit.details == {"fields": ["name", "phone"]}  # names of fields, never values


async def test_a_new_email_address_counts_once_its_link_is_followed(
    client: httpx.AsyncClient, smtp: SmtpServer
) -> None:
    old, new = address("lama"), address("baru")
    auth = bearer(await verified_requester(client, smtp, old))
    etag = (await client.get(ME, headers=auth)).headers["etag"]
    changed = await client.patch(ME, json={"email": new}, headers={**auth, "If-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["email"] == old  # not yet
    [link] = await smtp.wait_for(1, to=new)
    notice = "Permintaan mengganti alamat email / Request to change your email address"
    await smtp.wait_for(1, to=old, subject=notice)
    assert (await login(client, new)).status_code == 401
    assert (await verify(client, link_token(link, VERIFY_BASE))).status_code == 204
    assert (await client.get(ME, headers=auth)).json()["email"] == new
    assert (await login(client, new)).status_code == 200
    assert (await login(client, old)).status_code == 401


async def test_deletion_needs_the_password_and_erases_the_personal_fields(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    email = address("hapus")
    session = await verified_requester(client, smtp, email)
    auth = bearer(session)
    me = await client.get(ME, headers=auth)
    phone = {"phone": "081234567890"}
    await client.patch(ME, json=phone, headers={**auth, "If-Match": me.headers["etag"]})
    wrong = await client.request("DELETE", ME, json={"password": "bukan-ini-ya"}, headers=auth)
    assert wrong.status_code == 403
    assert wrong.json()["type"].endswith("/problems/wrong-current-password")
    deleted = await client.request("DELETE", ME, json={"password": PASSWORD}, headers=auth)
    assert deleted.status_code == 204
    [user] = await fetch(database_url, "SELECT * FROM users WHERE id = :i", i=me.json()["id"])
    assert user.email == f"deleted-{user.id}@erased.invalid"
    assert (user.name, user.password_hash, user.is_active) == ("", None, False)
    assert user.deleted_at is not None
    for table in ("requester_profiles", "email_tokens"):
        rows = await fetch(database_url, f"SELECT 1 FROM {table} WHERE user_id = :i", i=user.id)  # noqa: S608
        assert rows == [], table
    assert (await login(client, email)).status_code == 401
    form = {"grant_type": "refresh_token", "refresh_token": session["refresh_token"]}
    assert (await client.post("/v1/auth/token", data=form)).status_code == 400
    assert (await client.get(ME, headers=auth)).status_code == 404  # the access token outlives it
    await smtp.wait_for(1, to=email, subject="Akun Anda telah dihapus / Your account was deleted")
    [audit] = await fetch(
        database_url,
        "SELECT * FROM audit_log WHERE action = 'requester.deleted' AND object_id = :i",
        i=str(user.id),
    )
    assert audit.details == {}


async def test_an_official_cannot_use_the_requester_routes(
    client: httpx.AsyncClient, database_url: str
) -> None:
    email = address("pejabat")
    async with database_session(database_url) as session:
        official = User(
            kind=UserKind.OFFICIAL,
            email=email,
            name="Pejabat Uji",
            password_hash=await hash_password(PASSWORD),
        )
        session.add(official)
    tokens = (await login(client, email)).json()
    refused = await client.get(ME, headers=bearer(tokens))
    assert refused.status_code == 403
    assert (await client.get(ME)).status_code == 401


async def test_guessing_the_password_through_deletion_locks_the_account(
    client: httpx.AsyncClient, smtp: SmtpServer, database_url: str
) -> None:
    """A stolen access token must not become a password oracle."""
    email = address("tebak")
    auth = bearer(await verified_requester(client, smtp, email))
    for guess in range(5):
        wrong = await client.request(
            "DELETE", ME, json={"password": f"tebakan-{guess}"}, headers=auth
        )
        assert wrong.status_code == 403
    locked = await client.request("DELETE", ME, json={"password": PASSWORD}, headers=auth)
    assert locked.status_code == 429
    assert "retry-after" in locked.headers
    assert (await login(client, email)).status_code == 429
    assert len(await fetch(database_url, "SELECT 1 FROM users WHERE email = :e", e=email)) == 1
