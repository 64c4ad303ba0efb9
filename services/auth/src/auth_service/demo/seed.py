"""Seeding the demo: idempotent (what exists is left alone), one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from ppid_kit.audit import write_audit
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.accounts import mfa
from auth_service.accounts import repository as accounts
from auth_service.accounts.models import User, UserKind
from auth_service.accounts.passwords import check_password_policy, hash_password
from auth_service.demo.data import (
    ACCOUNTS,
    DOMAIN,
    OFFICE_HOURS,
    ROOT_CODE,
    ROOT_ID,
    ROOT_NAME,
    ROOT_TIME_ZONE,
    UNITS,
    DemoAccount,
    DemoUnit,
    demo_id,
)
from auth_service.grants import repository as grants
from auth_service.grants.models import OfficialRole
from auth_service.settings import AuthSettings
from auth_service.units import repository as units
from auth_service.units import service
from auth_service.units.models import UnitCreate, UnitDetails

DEMO = service.Actor("demo", "system")
# Two seeders at once (two `make run`s) wait for each other instead of colliding.
_SEED_LOCK = 0x7E5B_0C4A_DE30_0001


@dataclass(frozen=True)
class Credential:
    role: str
    unit: str
    email: str
    password: str
    totp_secret: str | None


def _office(slug: str, what: str) -> UnitDetails:
    return UnitDetails(
        description=f"PPID {what}, Pemerintah Kota Contoh (data demo).",
        contact_email=f"ppid.{slug}@{DOMAIN}",
        contact_phone="+62 21 555 0100",
        contact_address="Jl. Balai Kota No. 1, Kota Contoh",
    )


async def _seed_unit(session: AsyncSession, unit: DemoUnit) -> None:
    if await units.get_unit(session, unit.id) is not None:
        return
    details = _office(unit.code.rsplit(".", 1)[-1], unit.name).model_dump()
    body = UnitCreate.model_validate(
        {
            **details,
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "parent_id": demo_id(unit.parent),
            "ppid": unit.ppid,
            "service_hours": OFFICE_HOURS,
            "reason": "demo",
        }
    )
    await service.add_child(session, body, DEMO, unit_id=unit.id)


async def seed_units(session: AsyncSession) -> None:
    if await units.get_unit(session, ROOT_ID) is None:
        await service.create_root(
            session,
            code=ROOT_CODE,
            name=ROOT_NAME,
            time_zone=ROOT_TIME_ZONE,
            details=_office("utama", "Pemerintah Kota Contoh"),
            actor=DEMO,
            unit_id=ROOT_ID,
        )
    for unit in UNITS:  # parents first
        await _seed_unit(session, unit)


async def _new_user(settings: AuthSettings, account: DemoAccount) -> User:
    check_password_policy(account.password, email=account.email, name=account.name)
    now = datetime.now(UTC)
    kind = UserKind.OFFICIAL if account.role else UserKind.REQUESTER
    user = User(id=account.id, kind=kind, email=account.email, name=account.name)
    user.password_hash = await hash_password(account.password)
    user.email_verified_at = now
    secret = account.totp_secret(settings.mfa_required_roles)
    if secret is not None:  # pre-enrolled: the login asks for the code at once
        master = settings.key_encryption_key.get_secret_value()
        user.totp_secret_enc = mfa.seal_secret(master, user.id, secret)
        user.totp_confirmed_at = now
    return user


async def _audit(
    session: AsyncSession, action: str, kind: str, object_id: object, **details: str
) -> None:
    """The same actions the packages write (`official.created`, `grant.added`), by `demo`."""
    await write_audit(
        session,
        action=action,
        object_type=kind,
        object_id=str(object_id),
        actor_id=DEMO.id,
        actor_type=DEMO.type,
        unit_id=details.pop("unit_id", None),
        details={"source": "demo", **details},
    )


async def _seed_account(
    session: AsyncSession, settings: AuthSettings, account: DemoAccount
) -> None:
    if await accounts.get_user(session, account.id) is None:
        await accounts.add_user(session, await _new_user(settings, account))
        action = "official.created" if account.role else "requester.registered"
        await _audit(session, action, "user", account.id)
    if account.role is None or account.unit_code is None:
        return
    role, unit_id = OfficialRole(account.role), demo_id(account.unit_code)
    if await grants.find_live(session, account.id, role, unit_id) is None:
        row = await grants.add_grant(
            session, user_id=account.id, role=role, unit_id=unit_id, granted_by=None
        )
        official = str(account.id)
        await _audit(
            session,
            "grant.added",
            "grant",
            row.id,
            unit_id=str(unit_id),
            role=role.value,
            official_id=official,
        )


def credential(account: DemoAccount, settings: AuthSettings) -> Credential:
    unit = next((u.name for u in UNITS if u.code == account.unit_code), ROOT_NAME)
    return Credential(
        role=account.role or "pemohon",
        unit=unit if account.role else "-",
        email=account.email,
        password=account.password,
        totp_secret=account.totp_secret(settings.mfa_required_roles),
    )


async def seed(session: AsyncSession, settings: AuthSettings) -> list[Credential]:
    """The demo root, its units and accounts; what already exists is left as it is."""
    await session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SEED_LOCK})
    await seed_units(session)
    for account in ACCOUNTS:
        await _seed_account(session, settings, account)
    return [credential(account, settings) for account in ACCOUNTS]
