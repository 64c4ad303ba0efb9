"""Operator commands: `python -m auth_service.units.cli create-root|create-admin …`.

No one in the API is above a root (a badan publik), so roots and their first admin are
made here, by whoever runs the service, with the `AUTH_*` settings. `create-root`
prints the new root's id; `create-admin` prints the admin's id and a one-time password.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from ppid_kit.db import create_engine
from ppid_kit.problems import ProblemError
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from auth_service.settings import AuthSettings
from auth_service.units import admins, service
from auth_service.units.models import RootTimeZone, UnitDetails

T = TypeVar("T")
Work = Callable[[AsyncSession], Awaitable[T]]


async def in_transaction(settings: AuthSettings, work: Work[T]) -> T:
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            return await work(session)
    finally:
        await engine.dispose()


async def create_root(settings: AuthSettings, args: argparse.Namespace) -> str:
    contacts = ("description", "contact_email", "contact_phone", "contact_address")
    details = UnitDetails.model_validate({name: getattr(args, name) for name in contacts})

    async def work(session: AsyncSession) -> str:
        root = await service.create_root(
            session,
            code=args.code,
            name=args.name,
            time_zone=RootTimeZone(args.time_zone),
            details=details,
        )
        return str(root.id)

    return await in_transaction(settings, work)


async def create_admin(settings: AuthSettings, args: argparse.Namespace) -> str:
    async def work(session: AsyncSession) -> str:
        made = await admins.create_admin(
            session, root_id=args.root_id, email=args.email, name=args.name
        )
        return f"{made.user_id}\npassword: {made.password}"

    return await in_transaction(settings, work)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m auth_service.units.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    root = commands.add_parser("create-root", help="Create a badan publik (a root unit).")
    root.add_argument("--code", required=True, help="Stable unique code, e.g. kota-bukittinggi.")
    root.add_argument("--name", required=True, help="e.g. Pemerintah Kota Bukittinggi.")
    root.add_argument("--time-zone", required=True, choices=[zone.value for zone in RootTimeZone])
    for name in ("description", "contact-email", "contact-phone", "contact-address"):
        root.add_argument(f"--{name}", default=None)
    admin = commands.add_parser("create-admin", help="The first admin of a root.")
    admin.add_argument("--root-id", required=True, type=uuid.UUID)
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        command = create_root if args.command == "create-root" else create_admin
        printed = asyncio.run(command(AuthSettings(), args))
    except ProblemError as exc:  # e.g. the code is taken
        print(f"refused: {exc.kind.title.en}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        print(f"refused: {exc.error_count()} invalid value(s)\n{exc}", file=sys.stderr)
        return 1
    print(printed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
