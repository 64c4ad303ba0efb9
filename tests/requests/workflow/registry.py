"""The real registry as a process, trusting the session's auth, for the refusal tests.

A refusal's consequence test is a DIK entry the registry serves at
`GET /v1/dik/entries/{id}`; the requests app is pointed at this process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from tests.requests.harness import AuthStack
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
