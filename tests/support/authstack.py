"""The real auth service as a process, with the demo badan publik, for service tests.

Auth runs on loopback with its own migrated database and the demo badan publik (its
units and accounts, `python -m auth_service.demo`). The registry and requests services
fetch auth's real JWKS and unit tree; tokens are signed with auth's real active key,
read from auth's database, for the demo officials' real ids and grants (or any grants
a test needs).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from auth_service.demo.data import ACCOUNTS, DINKES, DISDIK, ROOT_ID, DemoAccount, demo_id
from auth_service.settings import AuthSettings
from auth_service.tokens.config import TokenConfig, bind_config
from auth_service.tokens.keys import ensure_active_key, private_key_pem
from ppid_kit.settings import ServiceSettings

from tests.services.support import CURSOR_SECRET, engine_for, transaction
from tests.support.procs import Proc, free_port, run_module, running, uvicorn_cmd
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
    "official",
    "read_minter",
    "seed_demo",
]

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def demo_account(email_local: str) -> DemoAccount:
    """A demo official by the part of the address before the @ (`ppid.dinkes`)."""
    return next(a for a in ACCOUNTS if a.email.split("@")[0] == email_local)


def official(minter: Minter, local: str) -> dict[str, str]:
    """A demo official's headers: `ppid.dinkes`, `ppid.disdik`, `ppid.utama`, `petugas`…"""
    return minter.official(demo_account(local))


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

    def trusted(self, database_url: str) -> dict[str, str]:
        """The settings fields by which a service trusts this auth (JWKS, issuer, audience,
        unit tree), with its database and the tests' cursor secret."""
        return {
            "database_url": database_url,
            "cursor_secret": CURSOR_SECRET,
            "jwks_url": f"{self.url}/.well-known/jwks.json",
            "unit_tree_url": f"{self.url}/v1/units/tree",
            "jwt_issuer": self.minter.issuer,
            "jwt_audience": self.minter.audience,
        }

    def settings_for(self, cls: type[SettingsT], database_url: str, **overrides: Any) -> SettingsT:
        """A service's settings object that trusts this auth (`trusted`), with `overrides`."""
        return cls(**{**self.trusted(database_url), **overrides})

    def env_for(self, prefix: str, database_url: str, **overrides: object) -> dict[str, str]:
        """The same as a service process's environment: `settings_for`'s fields, upper case,
        after `prefix` (`REQUESTS_`, `REGISTRY_`)."""
        values = {**self.trusted(database_url), **overrides}
        return {f"{prefix}{name.upper()}": str(value) for name, value in values.items()}


async def read_minter(database_url: str) -> Minter:
    """Auth's active signing key (made on first use), unsealed with auth's key config."""
    settings = AuthSettings(database_url=database_url, cursor_secret=CURSOR_SECRET)
    async with engine_for(database_url, pool_size=1) as engine:
        bind_config(engine, TokenConfig.from_settings(settings))
        async with transaction(engine) as session:
            key = await ensure_active_key(session)
            pem = private_key_pem(session, key)
    return Minter(pem, key.kid, key.alg, settings.jwt_issuer, settings.jwt_audience)


def seed_demo(database_url: str) -> None:
    """`python -m auth_service.demo --yes-demo` against auth's database."""
    env = {"AUTH_DATABASE_URL": database_url, "AUTH_CURSOR_SECRET": CURSOR_SECRET}
    done = run_module("auth_service.demo", "--yes-demo", env=env)
    assert done.returncode == 0, done.stderr


@contextlib.contextmanager
def auth_process(database_url: str) -> Iterator[Proc]:
    port = free_port()
    env = {"AUTH_DATABASE_URL": database_url, "AUTH_CURSOR_SECRET": CURSOR_SECRET}
    cmd = uvicorn_cmd("auth_service.main:create_app", port)
    with running(cmd, port=port, env=env, ready_path="/readyz", name="auth-for-services") as proc:
        yield proc
