"""Revision 0002: contact details, service hours and `unit_versions`, up and down, no drift."""

from __future__ import annotations

import sqlalchemy as sa

from tests.services.support import AUTH, alembic, database_session

UNIT_COLUMNS = {"description", "contact_email", "contact_phone", "contact_address", "service_hours"}


def run(database_url: str, *args: str) -> str:
    done = alembic(AUTH.app, database_url, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


async def schema(database_url: str) -> tuple[set[str], set[str]]:
    """The columns of `units` and the triggers on `unit_versions`."""
    async with database_session(database_url) as session:
        columns = await session.scalars(
            sa.text("SELECT column_name FROM information_schema.columns WHERE table_name = 'units'")
        )
        triggers = await session.scalars(
            sa.text(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid = to_regclass('unit_versions')"
            )
        )
        return set(columns), set(triggers)


async def test_0002_round_trips_and_head_matches_the_models(database_url: str) -> None:
    columns, triggers = await schema(database_url)
    assert columns >= UNIT_COLUMNS
    assert triggers == {"unit_versions_no_update_delete", "unit_versions_no_truncate"}
    run(database_url, "downgrade", "0001")
    columns, triggers = await schema(database_url)
    assert (columns & UNIT_COLUMNS, triggers) == (set(), set())
    run(database_url, "upgrade", "head")
    assert (await schema(database_url))[0] >= UNIT_COLUMNS
    assert "No new upgrade operations detected" in run(database_url, "check")
