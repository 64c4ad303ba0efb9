"""`python -m auth_service.demo --yes-demo` (or AUTH_DEMO=1): seed the demo, print logins.

Refuses without the flag or the setting, so a production database is never seeded
by accident. Running it again changes nothing and prints the same credentials.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from ppid_kit.db import create_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from auth_service.accounts.mfa import provisioning_uri
from auth_service.demo.seed import Credential, seed
from auth_service.settings import AuthSettings

_REFUSAL = (
    "Refusing to seed demo data: set AUTH_DEMO=1 or pass --yes-demo "
    "(never against a production database)."
)


async def run(settings: AuthSettings) -> list[Credential]:
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            return await seed(session, settings)
    finally:
        await engine.dispose()


def format_table(credentials: Sequence[Credential], *, issuer: str) -> str:
    header = ("Role", "Unit", "Email", "Password", "TOTP secret")
    rows = [(c.role, c.unit, c.email, c.password, c.totp_secret or "-") for c in credentials]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    rule = "-+-".join("-" * width for width in widths)
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]
    table = [lines[0], rule, *lines[1:]]
    uris = [
        f"  {c.email}: {provisioning_uri(c.totp_secret, account=c.email, issuer=issuer)}"
        for c in credentials
        if c.totp_secret is not None
    ]
    notes = ["", "Authenticator apps (otpauth URIs) for the accounts that need a second factor:"]
    return "\n".join([*table, *notes, *uris])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auth_service.demo", description=__doc__)
    parser.add_argument("--yes-demo", action="store_true", help="I mean it: seed demo data.")
    args = parser.parse_args(argv)
    settings = AuthSettings()
    if not (args.yes_demo or settings.demo):
        print(_REFUSAL, file=sys.stderr)
        return 2
    credentials = asyncio.run(run(settings))
    print("Demo: Pemerintah Kota Contoh (Asia/Jakarta). Demo passwords; never in production.")
    print(format_table(credentials, issuer=settings.totp_issuer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
