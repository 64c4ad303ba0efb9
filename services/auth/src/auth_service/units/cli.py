"""Operator commands: `python -m auth_service.units.cli create-root --code … --name … …`.

No one in the API is above a root (a badan publik), so roots are made here, by whoever
runs the service, with the `AUTH_*` settings. Prints the new root's id.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from collections.abc import Sequence

from ppid_kit.db import create_engine
from ppid_kit.problems import ProblemError
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from auth_service.settings import AuthSettings
from auth_service.units import service
from auth_service.units.models import RootTimeZone, UnitDetails


async def create_root(settings: AuthSettings, args: argparse.Namespace) -> uuid.UUID:
    contacts = ("description", "contact_email", "contact_phone", "contact_address")
    details = UnitDetails.model_validate({name: getattr(args, name) for name in contacts})
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            root = await service.create_root(
                session,
                code=args.code,
                name=args.name,
                time_zone=RootTimeZone(args.time_zone),
                details=details,
            )
            return root.id
    finally:
        await engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m auth_service.units.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    root = commands.add_parser("create-root", help="Create a badan publik (a root unit).")
    root.add_argument("--code", required=True, help="Stable unique code, e.g. kota-bukittinggi.")
    root.add_argument("--name", required=True, help="e.g. Pemerintah Kota Bukittinggi.")
    root.add_argument("--time-zone", required=True, choices=[zone.value for zone in RootTimeZone])
    for name in ("description", "contact-email", "contact-phone", "contact-address"):
        root.add_argument(f"--{name}", default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        root_id = asyncio.run(create_root(AuthSettings(), args))
    except ProblemError as exc:  # e.g. the code is taken
        print(f"refused: {exc.kind.title.en}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        print(f"refused: {exc.error_count()} invalid value(s)\n{exc}", file=sys.stderr)
        return 1
    print(root_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
