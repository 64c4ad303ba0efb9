"""The real auth service as a process, with the demo badan publik, for service tests.

Auth runs on loopback with its own migrated database and the demo badan publik (its
units and accounts, `python -m auth_service.demo`). The registry and requests services
fetch auth's real JWKS and unit tree; tokens are signed with auth's real active key,
read from auth's database, for the demo officials' real ids and grants (or any grants
a test needs).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from auth_service.demo.data import ACCOUNTS, DINKES, DISDIK, ROOT_ID, DemoAccount, demo_id
from auth_service.settings import AuthSettings
from auth_service.tokens.config import TokenConfig, bind_config
from auth_service.tokens.keys import ensure_active_key, private_key_pem
from ppid_kit.db import create_engine
from ppid_kit.settings import ServiceSettings
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.services.support import CURSOR_SECRET
from tests.support.procs import ROOT, Proc, free_port, running, uvicorn_cmd
from tests.support.tokens import Grants
from tests.support.tokens import Minter as BaseMinter

DINKES_ID, DISDIK_ID = demo_id(DINKES.code), demo_id(DISDIK.code)

__all__ = [
    "DINKES_ID",
    "DISDIK_ID",
    "ROOT_ID",
    "AuthStack",
    "Minter",
    "auth_process",
    "demo_account",
    "read_minter",
    "seed_demo",
]

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def demo_account(email_local: str) -> DemoAccount:
    """A demo official by the part of the address before the @ (`ppid.dinkes`)."""
    return next(a for a in ACCOUNTS if a.email.split("@")[0] == email_local)


class Minter(BaseMinter):
    """The test minter, with the demo officials' headers; tokens live an hour."""

    def token(
        self,
        grants: Grants,
        *,
        sub: uuid.UUID | str | None = None,
        typ: str = "official",
        ttl: int = 3600,
    ) -> str:
        return super().token(grants, sub=sub, typ=typ, ttl=ttl)

    def official(self, account: DemoAccount) -> dict[str, str]:
        """Headers of a demo official: their id and their one demo grant."""
        assert account.role is not None
        assert account.unit_code is not None
        return self.headers([(account.role, demo_id(account.unit_code))], sub=account.id)


@dataclass(frozen=True)
class AuthStack:
    """Auth running as a process: where it is and how to sign its tokens."""

    proc: Proc
    database_url: str
    minter: Minter

    @property
    def url(self) -> str:
        return self.proc.url

    def settings_for(self, cls: type[SettingsT], database_url: str, **overrides: Any) -> SettingsT:
        """A service's settings that trust this auth (JWKS, issuer, audience, unit tree)."""
        return cls(
            database_url=database_url,
            cursor_secret=CURSOR_SECRET,
            jwks_url=f"{self.url}/.well-known/jwks.json",
            unit_tree_url=f"{self.url}/v1/units/tree",
            jwt_issuer=self.minter.issuer,
            jwt_audience=self.minter.audience,
            **overrides,
        )


async def read_minter(database_url: str) -> Minter:
    """Auth's active signing key (made on first use), unsealed with auth's key config."""
    settings = AuthSettings(database_url=database_url, cursor_secret=CURSOR_SECRET)
    engine = create_engine(database_url, pool_size=1)
    bind_config(engine, TokenConfig.from_settings(settings))
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            key = await ensure_active_key(session)
            pem = private_key_pem(session, key)
    finally:
        await engine.dispose()
    return Minter(pem, key.kid, key.alg, settings.jwt_issuer, settings.jwt_audience)


def seed_demo(database_url: str) -> None:
    """`python -m auth_service.demo --yes-demo` against auth's database."""
    env = {**os.environ, "AUTH_DATABASE_URL": database_url, "AUTH_CURSOR_SECRET": CURSOR_SECRET}
    subprocess.run(
        [sys.executable, "-m", "auth_service.demo", "--yes-demo"],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def auth_process(database_url: str) -> Iterator[Proc]:
    port = free_port()
    env = {"AUTH_DATABASE_URL": database_url, "AUTH_CURSOR_SECRET": CURSOR_SECRET}
    cmd = uvicorn_cmd("auth_service.main:create_app", port)
    with running(cmd, port=port, env=env, ready_path="/readyz", name="auth-for-services") as proc:
        yield proc
