"""The demo seeder and the operator's `create-root`, run as commands, as an operator would."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Callable

import pyotp
import pytest
import sqlalchemy as sa
from auth_service.demo.__main__ import main as demo_main
from auth_service.demo.data import ACCOUNTS, DISKOMINFO, ROOT_CODE, ROOT_ID, UNITS
from auth_service.permissions import MFA_ROLES
from auth_service.units.cli import main as cli_main

from tests.auth.units.support import serve_auth
from tests.services.support import database_session

COUNT_ROWS = sa.text(
    "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM unit_versions), "
    "(SELECT count(*) FROM users), (SELECT count(*) FROM grants), (SELECT count(*) FROM audit_log)"
)


def run_module(module: str, database_url: str) -> subprocess.CompletedProcess[str]:
    """`python -m <module>` with AUTH_DEMO=1, in a process of its own."""
    env = {**os.environ, "AUTH_DATABASE_URL": database_url, "AUTH_DEMO": "1"}
    command = [sys.executable, "-m", module]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, timeout=120
    )


@pytest.fixture
def operator_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> pytest.MonkeyPatch:
    """The `AUTH_*` environment the commands' `main` reads when called in-process."""
    monkeypatch.setenv("AUTH_DATABASE_URL", database_url)
    monkeypatch.delenv("AUTH_DEMO", raising=False)
    return monkeypatch


async def call(main: Callable[[list[str]], int], *args: str) -> int:
    """`main(args)` in a thread: it runs its own event loop, as on the command line."""
    return await asyncio.to_thread(main, list(args))


async def counts(database_url: str) -> tuple[int, ...]:
    """Rows in units, unit_versions, users, grants and audit_log."""
    async with database_session(database_url) as session:
        return tuple((await session.execute(COUNT_ROWS)).one())


async def test_demo_refuses_without_being_asked(
    database_url: str, operator_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await counts(database_url)
    assert await call(demo_main) == 2
    assert "AUTH_DEMO=1" in capsys.readouterr().err
    operator_env.setenv("AUTH_DEMO", "0")
    assert await call(demo_main) == 2
    assert await counts(database_url) == before


async def test_demo_seeds_once_and_prints_the_same_credentials(
    database_url: str, operator_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run_module("auth_service.demo", database_url)
    assert first.returncode == 0, first.stderr
    seeded = await counts(database_url)
    assert await call(demo_main, "--yes-demo") == 0
    assert capsys.readouterr().out == first.stdout
    assert await counts(database_url) == seeded
    assert seeded[0] >= 1 + len(UNITS)
    for account in ACCOUNTS:
        assert account.email in first.stdout
        assert account.password in first.stdout
        secret = account.totp_secret(MFA_ROLES)
        if secret is not None:
            assert secret in first.stdout
    assert first.stdout.count("otpauth://totp/") == 3  # admin, ppid_utama, atasan_ppid


async def test_demo_tree_has_one_ppid_utama_at_diskominfo(
    database_url: str, operator_env: pytest.MonkeyPatch
) -> None:
    assert await call(demo_main, "--yes-demo") == 0
    async with database_session(database_url) as session:
        rows = await session.execute(
            sa.text("SELECT code, ppid, kind FROM units WHERE root_id = :root"), {"root": ROOT_ID}
        )
        by_code = {code: (ppid, kind) for code, ppid, kind in rows}
    assert by_code.pop(ROOT_CODE) == ("none", "badan_publik")
    assert by_code.pop(DISKOMINFO.code) == ("utama", "opd")
    assert {ppid for ppid, _ in by_code.values()} == {"pelaksana"}
    assert {kind for _, kind in by_code.values()} == {"opd", "kecamatan", "kelurahan", "rsud"}


async def test_operator_creates_a_root(
    database_url: str, operator_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = f"kab-{uuid.uuid4().hex[:8]}"
    args = ["create-root", "--code", code, "--name", "Pemerintah Kabupaten Uji"]
    args += ["--time-zone", "Asia/Makassar"]
    assert await call(cli_main, *args) == 0
    root_id = uuid.UUID(capsys.readouterr().out.strip())
    async with database_session(database_url) as session:
        query = "SELECT kind, time_zone, parent_id, root_id FROM units WHERE code = :code"
        row = (await session.execute(sa.text(query), {"code": code})).one()
        actor = await session.scalar(
            sa.text("SELECT actor_id FROM unit_versions WHERE unit_id = :id"), {"id": root_id}
        )
    assert tuple(row) == ("badan_publik", "Asia/Makassar", None, root_id)
    assert actor == "operator"
    assert await call(cli_main, *args) == 1
    assert "in use" in capsys.readouterr().err


async def test_demo_credentials_log_in(database_url: str, operator_env: pytest.MonkeyPatch) -> None:
    assert await call(demo_main, "--yes-demo") == 0
    admin, pelaksana, requester = ACCOUNTS[0], ACCOUNTS[2], ACCOUNTS[-1]
    secret = admin.totp_secret(MFA_ROLES)
    assert secret is not None
    async with serve_auth(database_url) as (client, _):
        login = {"email": admin.email, "password": admin.password}
        asked = await client.post("/v1/auth/login", json=login)
        assert (asked.status_code, asked.json()["type"]) == (401, "/problems/mfa-required")
        done = await client.post("/v1/auth/login", json={**login, "otp": pyotp.TOTP(secret).now()})
        assert done.status_code == 200, done.text
        bearer = {"Authorization": f"Bearer {done.json()['access_token']}"}
        history = await client.get(f"/v1/units/{ROOT_ID}/history", headers=bearer)
        assert history.status_code == 200
        for account in (pelaksana, requester):
            plain = {"email": account.email, "password": account.password}
            assert (await client.post("/v1/auth/login", json=plain)).status_code == 200


async def test_the_operator_makes_the_first_admin_of_a_root(
    database_url: str, operator_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = f"kab-{uuid.uuid4().hex[:8]}"
    assert (
        await call(
            cli_main, "create-root", "--code", code, "--name", "Kab", "--time-zone", "Asia/Jakarta"
        )
        == 0
    )
    root_id = capsys.readouterr().out.strip()
    email = f"admin.{code}@example.org"
    args = ("create-admin", "--root-id", root_id, "--email", email, "--name", "Admin Kab")
    assert await call(cli_main, *args) == 0
    user_id, password_line = capsys.readouterr().out.strip().splitlines()
    password = password_line.removeprefix("password: ")
    assert len(password) >= 20
    async with database_session(database_url) as session:
        query = "SELECT role, unit_id::text FROM grants WHERE user_id = :id AND revoked_at IS NULL"
        grants = (await session.execute(sa.text(query), {"id": uuid.UUID(user_id)})).all()
    assert [tuple(g) for g in grants] == [("admin", root_id)]
    assert await call(cli_main, *args) == 1, "the email is taken now"
    assert (
        await call(
            cli_main,
            "create-admin",
            "--root-id",
            str(uuid.uuid4()),
            "--email",
            "x@example.org",
            "--name",
            "X",
        )
        == 1
    )
