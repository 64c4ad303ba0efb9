"""Fixtures shared by every test: a real PostgreSQL server and fresh databases."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable, Iterator

import pytest

from tests.services.support import ScopedDatabase
from tests.support.authstack import AuthStack, Minter, auth_process, read_minter, seed_demo
from tools import devdb
from tools.services import SERVICES, App, migrate


@pytest.fixture(scope="session")
def pg_server() -> Iterator[devdb.Server]:
    """The running PostgreSQL when reachable, else a throwaway cluster under var/."""
    with devdb.server(reuse_local=True, port=55433) as srv:
        yield srv


@pytest.fixture(scope="session")
def fresh_database(pg_server: devdb.Server) -> Callable[[str], str]:
    """Factory: an empty database named `terbuka_test_<name>`; returns its asyncpg URL."""

    def make(name: str) -> str:
        return devdb.recreate_database(pg_server, f"terbuka_test_{name}")

    return make


@pytest.fixture(scope="session")
def migrated_database(
    fresh_database: Callable[[str], str], pg_server: devdb.Server
) -> Iterator[Callable[..., str]]:
    """Factory: a fresh database for service `name` at head; returns its URL.

    Each service's migrations run once per session, into a template database; every
    database asked for is a copy of it (the migrations themselves are tested from base
    in tests/services/test_migrations.py)."""
    by_name: dict[str, App] = {app.name: app for app in SERVICES}
    templates: dict[str, str] = {}
    lock = threading.Lock()

    def template(name: str) -> str:
        with lock:
            if name not in templates:
                # The pid keeps concurrent test runs on one server apart.
                label = f"template_{name}_{os.getpid()}"
                migrate(by_name[name], fresh_database(label))
                templates[name] = f"terbuka_test_{label}"
            return templates[name]

    def make(name: str, *, suffix: str = "") -> str:
        return devdb.copy_database(pg_server, f"terbuka_test_{name}{suffix}", template(name))

    yield make
    for database in templates.values():
        devdb.drop_database(pg_server, database)


@pytest.fixture(scope="session")
def scoped_database(
    migrated_database: Callable[..., str], pg_server: devdb.Server
) -> ScopedDatabase:
    """Factory: `with scoped_database(name, suffix) as url:` service `name`'s database
    `terbuka_test_<name><suffix>`, fresh and migrated, dropped when the block ends."""

    @contextlib.contextmanager
    def scoped(name: str, suffix: str) -> Iterator[str]:
        yield migrated_database(name, suffix=suffix)
        devdb.drop_database(pg_server, f"terbuka_test_{name}{suffix}")

    return scoped


@pytest.fixture(scope="session")
def auth_stack(scoped_database: ScopedDatabase) -> Iterator[AuthStack]:
    """One auth service (a process) for the registry and requests suites, with the demo data."""
    # The pid keeps concurrent test runs on one PostgreSQL out of each other's way.
    with scoped_database("auth", f"_for_services_{os.getpid()}") as url:
        seed_demo(url)
        minter = asyncio.run(read_minter(url))
        with auth_process(url) as proc:
            yield AuthStack(proc=proc, database_url=url, minter=minter)


@pytest.fixture
def minter(auth_stack: AuthStack) -> Minter:
    return auth_stack.minter
