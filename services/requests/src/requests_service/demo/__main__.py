"""`python -m requests_service.demo --yes-demo` (or REQUESTS_DEMO=1): the demo calendar.

Seeds the working calendar of the demo badan publik (auth's demo root, same id through
`ppid_kit.demo.demo_id`): its policy (Asia/Jakarta, 08:00-16:00) and the holidays and
cuti bersama of this year and the next from the pinned `holidays` package. Refuses
without the flag or the variable, so a production database is never seeded by
accident. Running it again changes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from ppid_kit.db import create_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from requests_service.demo.seed import Summary, seed
from requests_service.settings import RequestsSettings

_REFUSAL = (
    "Refusing to seed demo data: set REQUESTS_DEMO=1 or pass --yes-demo "
    "(never against a production database)."
)


async def run(settings: RequestsSettings) -> Summary:
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            return await seed(session)
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m requests_service.demo", description=__doc__)
    parser.add_argument("--yes-demo", action="store_true", help="I mean it: seed demo data.")
    args = parser.parse_args(argv)
    if not (args.yes_demo or os.environ.get("REQUESTS_DEMO") == "1"):
        print(_REFUSAL, file=sys.stderr)
        return 2
    summary = asyncio.run(run(RequestsSettings()))
    years = " and ".join(str(year) for year in summary.years)
    print(
        f"Demo calendar: holidays and cuti bersama of {years} "
        f"({summary.added} days new), calendar version {summary.version}"
        + ("; the fee schedule." if summary.fees_created else ".")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
