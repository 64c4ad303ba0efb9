"""Each service's migrations: head matches the models, and base ↔ head round-trips cleanly."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from auth_service.schema import TABLES as AUTH_TABLES
from ppid_kit.db import create_engine
from registry_service.schema import TABLES as REGISTRY_TABLES
from requests_service.schema import TABLES as REQUESTS_TABLES

from tests.services.support import ALL_SERVICES, Service, alembic

OWN_TABLES = {
    "auth": {table.name for table in AUTH_TABLES},
    "registry": {table.name for table in REGISTRY_TABLES},
    "requests": {table.name for table in REQUESTS_TABLES},
}
KIT_TABLES = {"idempotency_keys", "audit_log"}


async def public_tables(database_url: str) -> set[str]:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
            return {str(name) for (name,) in rows}
    finally:
        await engine.dispose()


@pytest.fixture(params=ALL_SERVICES, ids=lambda service: service.name)
def migrated(
    request: pytest.FixtureRequest, migrated_database: Callable[..., str]
) -> tuple[Service, str]:
    service: Service = request.param
    return service, migrated_database(service.name, suffix="_migrations")


def run(service: Service, url: str, *args: str) -> str:
    done = alembic(service.app, url, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


async def test_round_trip_through_base_ends_where_the_models_are(
    migrated: tuple[Service, str],
) -> None:
    service, url = migrated
    assert await public_tables(url) == {*OWN_TABLES[service.name], "alembic_version", *KIT_TABLES}
    run(service, url, "downgrade", "base")
    assert await public_tables(url) == {"alembic_version"}
    run(service, url, "upgrade", "head")
    assert await public_tables(url) == {*OWN_TABLES[service.name], "alembic_version", *KIT_TABLES}
    assert "No new upgrade operations detected" in run(service, url, "check")
