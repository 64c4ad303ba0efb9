"""The throwaway cluster of `make run` and `make test` (tools/devdb.py)."""

from __future__ import annotations

import asyncio
import shutil

import asyncpg

from tests.support.procs import free_port
from tools import devdb


def test_a_cluster_left_running_by_a_killed_run_is_taken_over() -> None:
    """A run killed before its cleanup leaves the server up on its data folder; the next
    start must not fail on it (`pg_ctl start` refuses a folder in use) but use it."""
    port = free_port()
    first = devdb.start_cluster(port)
    try:
        second = devdb.start_cluster(port)  # as the next run would, the first never stopped
        assert second.cluster == first.cluster
        answer = asyncio.run(_select_one(second.libpq_url()))
        assert answer == 1
    finally:
        devdb.stop_cluster(first)
    assert not devdb.port_open("127.0.0.1", port)
    assert first.cluster is not None
    shutil.rmtree(first.cluster.parent, ignore_errors=True)


async def _select_one(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        value: int = await conn.fetchval("SELECT 1")
        return value
    finally:
        await conn.close()
