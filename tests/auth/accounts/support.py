"""Helpers of the accounts tests: a small unit tree, users seeded with real hashes, logins."""

from __future__ import annotations

import itertools
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import sqlalchemy as sa
from auth_service.accounts.models import User, UserKind
from auth_service.accounts.passwords import hash_password
from auth_service.grants.models import GrantRow, OfficialRole
from auth_service.settings import AuthSettings
from auth_service.units.models import PpidDesignation, RootTimeZone, Unit, UnitKind

from tests.services.support import CURSOR_SECRET, database_session

PASSWORD = "kopi-tubruk-senja-hari"
Json = dict[str, Any]
_addresses = itertools.count(1)


def settings_for(database_url: str, **overrides: Any) -> AuthSettings:
    values: dict[str, Any] = {"database_url": database_url, "cursor_secret": CURSOR_SECRET}
    return AuthSettings(**{**values, **overrides})


def new_address() -> str:
    """A client address of its own (documentation range, RFC 5737), sent as X-Forwarded-For.

    The in-process client's peer is 127.0.0.1, a trusted proxy by default.
    """
    n = next(_addresses)
    return f"198.51.{n // 250}.{n % 250 + 1}"


def from_address(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def unique_email(prefix: str) -> str:
    return f"{prefix}.{uuid.uuid4().hex[:8]}@kota-contoh.go.id"


@dataclass(frozen=True)
class Tree:
    """Root A (Diskominfo, Dinkes with a UPT below) and root B (one OPD)."""

    root_a: uuid.UUID
    diskominfo: uuid.UUID
    dinkes: uuid.UUID
    upt: uuid.UUID
    root_b: uuid.UUID
    opd_b: uuid.UUID


def _unit(code: str, kind: UnitKind, parent: Unit | None, **extra: Any) -> Unit:
    unit_id = uuid.uuid4()
    return Unit(
        id=unit_id,
        code=f"{code}-{unit_id.hex[:6]}",
        name=code,
        kind=kind,
        parent_id=None if parent is None else parent.id,
        root_id=unit_id if parent is None else parent.root_id,
        **extra,
    )


async def seed_tree(database_url: str) -> Tree:
    root_a = _unit("kota-a", UnitKind.BADAN_PUBLIK, None, time_zone=RootTimeZone.WIB)
    kominfo = _unit("kominfo", UnitKind.OPD, root_a, ppid=PpidDesignation.UTAMA)
    dinkes = _unit("dinkes", UnitKind.OPD, root_a, ppid=PpidDesignation.PELAKSANA)
    upt = _unit("upt", UnitKind.UPT, dinkes)
    root_b = _unit("kab-b", UnitKind.BADAN_PUBLIK, None, time_zone=RootTimeZone.WITA)
    opd_b = _unit("opd-b", UnitKind.OPD, root_b)
    async with database_session(database_url) as session:
        for unit in (root_a, kominfo, dinkes, upt, root_b, opd_b):
            session.add(unit)
            await session.flush()
    return Tree(root_a.id, kominfo.id, dinkes.id, upt.id, root_b.id, opd_b.id)


async def seed_user(
    database_url: str,
    *,
    kind: UserKind = UserKind.OFFICIAL,
    grants: tuple[tuple[str, uuid.UUID], ...] = (),
    verified: bool = True,
    password: str = PASSWORD,
    prefix: str = "pejabat",
) -> User:
    """A user with a real argon2id hash and live grants, committed."""
    user = User(
        kind=kind,
        email=unique_email(prefix),
        name="Sari Wulandari",
        password_hash=await hash_password(password),
        email_verified_at=datetime.now(UTC) if verified else None,
    )
    async with database_session(database_url) as session:
        session.add(user)
        await session.flush()
        for role, unit_id in grants:
            session.add(GrantRow(user_id=user.id, role=OfficialRole(role), unit_id=unit_id))
        await session.flush()
    return user


async def login(
    client: httpx.AsyncClient,
    email: str,
    password: str = PASSWORD,
    *,
    address: str | None = None,
    **extra: str,
) -> httpx.Response:
    body = {"email": email, "password": password, **extra}
    headers = from_address(address or new_address())
    return await client.post("/v1/auth/login", json=body, headers=headers)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def session_of(client: httpx.AsyncClient, email: str, **extra: str) -> dict[str, str]:
    """Log in; the Authorization header of the full session."""
    response = await login(client, email, **extra)
    assert response.status_code == 200, response.text
    return bearer(response.json()["access_token"])


def comparable(problem: Json) -> Json:
    """A problem body without what differs per request anyway."""
    return {k: v for k, v in problem.items() if k not in ("request_id", "instance")}


async def audit_rows(database_url: str, *actions: str) -> list[Json]:
    """Audit entries (optionally of some actions), oldest first, as plain dicts."""
    async with database_session(database_url) as session:
        stmt = sa.text("SELECT * FROM audit_log ORDER BY id")
        rows = [dict(row._mapping) for row in await session.execute(stmt)]
    return [row for row in rows if not actions or row["action"] in actions]


def dumped(rows: list[Json]) -> str:
    """Everything the rows hold, as one text to search for leaks."""
    return json.dumps(rows, default=str)
