"""The real registry as a process, trusting the session's auth, for the tests that call it.

A refusal's consequence test is a DIK entry the registry serves at
`GET /v1/dik/entries/{id}`; readiness reads its DIP freshness, a dispute decision writes
a DIP draft there, the webhooks follow its feed. The requests app is pointed at this
process.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.requests.harness import AuthStack, requests_settings, serve_requests
from tests.services.support import ScopedDatabase
from tests.support.procs import Proc, free_port, running, uvicorn_cmd


@contextlib.contextmanager
def registry_process(stack: AuthStack, database_url: str, storage_dir: Path) -> Iterator[Proc]:
    port = free_port()
    cmd = uvicorn_cmd("registry_service.main:create_app", port)
    env = stack.env_for(
        "REGISTRY_", database_url, storage_dir=storage_dir, sweep_interval_seconds=0
    )
    with running(
        cmd, port=port, env=env, ready_path="/readyz", name="registry-for-workflow"
    ) as proc:
        yield proc


def registry_fixtures(suffix: str) -> tuple[Any, Any]:
    """The module-scoped fixtures `registry_database` (a registry database of the module's
    own, named with `suffix`) and `registry` (the process serving it). A test module binds
    both names: `registry_database, registry = registry_fixtures("_for_x")`."""

    @pytest.fixture(scope="module")
    def registry_database(scoped_database: ScopedDatabase) -> Iterator[str]:
        with scoped_database("registry", suffix) as url:
            yield url

    @pytest.fixture(scope="module")
    def registry(
        auth_stack: AuthStack, registry_database: str, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[Proc]:
        storage = tmp_path_factory.mktemp("registry-objects")
        with registry_process(auth_stack, registry_database, storage) as proc:
            yield proc

    return registry_database, registry


def app_with_registry(name: str = "client") -> Any:
    """A fixture `name`: the requests app of the test, pointed at the module's `registry`.
    A test module binds it: `client = app_with_registry()`."""

    @pytest.fixture(name=name)
    async def app(
        auth_stack: AuthStack, requests_database: str, registry: Proc, tmp_path: Path
    ) -> AsyncIterator[httpx.AsyncClient]:
        url = registry.url
        settings = requests_settings(auth_stack, requests_database, tmp_path, registry_url=url)
        async with serve_requests(settings) as served:
            yield served

    return app
