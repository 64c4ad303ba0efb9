"""The real registry as a process, trusting the session's auth, for the refusal tests.

A refusal's consequence test is a DIK entry the registry serves at
`GET /v1/dik/entries/{id}`; the requests app is pointed at this process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from tests.requests.harness import AuthStack
from tests.services.support import CURSOR_SECRET
from tests.support.procs import Proc, free_port, running, uvicorn_cmd


def registry_env(stack: AuthStack, database_url: str, storage_dir: Path) -> dict[str, str]:
    """`REGISTRY_*` variables trusting `stack`'s auth (what `AuthStack.settings_for` sets)."""
    return {
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_CURSOR_SECRET": CURSOR_SECRET,
        "REGISTRY_JWKS_URL": f"{stack.url}/.well-known/jwks.json",
        "REGISTRY_UNIT_TREE_URL": f"{stack.url}/v1/units/tree",
        "REGISTRY_JWT_ISSUER": stack.minter.issuer,
        "REGISTRY_JWT_AUDIENCE": stack.minter.audience,
        "REGISTRY_STORAGE_DIR": str(storage_dir),
        "REGISTRY_SWEEP_INTERVAL_SECONDS": "0",
    }


@contextlib.contextmanager
def registry_process(stack: AuthStack, database_url: str, storage_dir: Path) -> Iterator[Proc]:
    port = free_port()
    cmd = uvicorn_cmd("registry_service.main:create_app", port)
    env = registry_env(stack, database_url, storage_dir)
    with running(
        cmd, port=port, env=env, ready_path="/readyz", name="registry-for-workflow"
    ) as proc:
        yield proc
