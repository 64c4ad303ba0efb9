"""`python -m registry_service.demo --yes-demo` (or REGISTRY_DEMO=1): seed the demo DIP.

The demo badan publik's units and accounts come from `python -m auth_service.demo`
(same unit ids: `ppid_kit.demo.demo_id`); run that first. Refuses without the flag or
the variable, so a production database is never seeded by accident. Running it again
changes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from ppid_kit.db import create_engine
from ppid_kit.storage import make_store
from sqlmodel.ext.asyncio.session import AsyncSession

from registry_service.demo.seed import Summary, seed
from registry_service.settings import RegistrySettings

_REFUSAL = (
    "Refusing to seed demo data: set REGISTRY_DEMO=1 or pass --yes-demo "
    "(never against a production database)."
)


async def run(settings: RegistrySettings) -> Summary:
    store = make_store(settings)
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            return await seed(session, store)
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m registry_service.demo", description=__doc__)
    parser.add_argument("--yes-demo", action="store_true", help="I mean it: seed demo data.")
    args = parser.parse_args(argv)
    if not (args.yes_demo or os.environ.get("REGISTRY_DEMO") == "1"):
        print(_REFUSAL, file=sys.stderr)
        return 2
    summary = asyncio.run(run(RegistrySettings()))
    print(
        f"Demo DIP: {summary.entries} entries in {summary.units} units, "
        f"{summary.documents} documents, {summary.dik_entries} DIK entries "
        f"({summary.created} rows new)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
