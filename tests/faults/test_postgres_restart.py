"""PostgreSQL restarted under a steady load of submissions (issue 7, fault tests).

The requests service runs as a real process against a throwaway cluster of our own
(never the shared server). A client keeps submitting, each with its own
Idempotency-Key, while the cluster is stopped (`pg_ctl stop -m fast`) and started
again. Protections under test: connectivity errors become 503 problems
(`ppid_kit.db.is_connectivity_error`), `/readyz` pings the database, the pool
pre-pings and reconnects, and the commit happens before the 201 is sent.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.faults.support import requests_env, start_requests
from tests.requests.harness import AuthStack
from tests.requests.people import SITI
from tests.requests.support import form
from tests.support.procs import free_port
from tools import devdb
from tools.services import SERVICES, migrate

CLIENT_TIMEOUT = 8.0  # longer than the service's connect timeout (5 s): a hang shows as one


@dataclass
class Cluster:
    """Our own PostgreSQL cluster, which this module may stop and start."""

    server: devdb.Server
    port: int
    database_url: str

    def stop(self) -> None:
        devdb.stop_cluster(self.server)

    def start(self) -> None:
        devdb.start_cluster(self.port)  # the data directory is kept: a restart


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    port = free_port()
    server = devdb.start_cluster(port)
    assert server.cluster is not None
    try:
        url = devdb.recreate_database(server, "terbuka_faults_requests")
        migrate(next(app for app in SERVICES if app.name == "requests"), url)
        yield Cluster(server, port, url)
    finally:
        devdb.stop_cluster(server)
        shutil.rmtree(server.cluster.parent, ignore_errors=True)


@dataclass
class Load:
    """What a steady submitter saw: each answer with when it was sent."""

    accepted: list[tuple[float, dict[str, object]]] = field(default_factory=list)
    refused: list[tuple[float, httpx.Response]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # transport errors: hangs, resets
    stop: threading.Event = field(default_factory=threading.Event)


def submit_steadily(base_url: str, load: Load) -> None:
    """Submit until told to stop, a new Idempotency-Key each time, a few per second."""
    with httpx.Client(base_url=base_url, timeout=CLIENT_TIMEOUT) as client:
        while not load.stop.is_set():
            sent = time.monotonic()
            headers = {"Idempotency-Key": str(uuid.uuid4())}
            try:
                answer = client.post("/v1/requests", json=form(SITI), headers=headers)
            except httpx.HTTPError as exc:
                load.failures.append(f"{type(exc).__name__} after {time.monotonic() - sent:.1f}s")
                continue
            if 200 <= answer.status_code < 300:
                load.accepted.append((sent, answer.json()))
            else:
                load.refused.append((sent, answer))
            time.sleep(0.05)


def wait_ready(base_url: str, status: int, within: float) -> float:
    """Seconds until `/readyz` answers `status`; fails after `within` seconds."""
    started = time.monotonic()
    while True:
        try:
            if httpx.get(base_url + "/readyz", timeout=3).status_code == status:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        assert time.monotonic() - started < within, f"/readyz never answered {status}"
        time.sleep(0.1)


async def stored_ids(database_url: str) -> set[str]:
    conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        rows = await conn.fetch("SELECT id, registration_number FROM information_requests")
    finally:
        await conn.close()
    return {f"{row['id']}|{row['registration_number']}" for row in rows}


def test_submissions_survive_a_database_restart(
    cluster: Cluster, auth_stack: AuthStack, tmp_path: Path
) -> None:
    env = requests_env(auth_stack, cluster.database_url, tmp_path, db_pool_size=4)
    with start_requests(env, name="faults-pg") as service:
        load = Load()
        submitter = threading.Thread(target=submit_steadily, args=(service.url, load))
        submitter.start()
        try:
            time.sleep(1.0)  # a steady state first
            before_outage = len(load.accepted)
            cluster.stop()
            outage_started = time.monotonic()
            wait_ready(service.url, 503, within=5)
            time.sleep(2.5)  # keep submitting against a dead database
            cluster.start()
            outage_ended = time.monotonic()
            recovered_in = wait_ready(service.url, 200, within=10)
            deadline = time.monotonic() + 10
            while not any(sent > outage_ended for sent, _ in load.accepted):
                assert time.monotonic() < deadline, "no submission accepted after the restart"
                time.sleep(0.1)
        finally:
            load.stop.set()
            submitter.join(CLIENT_TIMEOUT + 5)

    assert before_outage > 0
    assert not load.failures, load.failures  # no hang beyond the client timeout, no reset
    assert recovered_in < 10
    statuses = [(answer.status_code, answer.text[:200]) for _, answer in load.refused]
    assert all(status == 503 for status, _ in statuses), statuses
    during = [answer for sent, answer in load.refused if outage_started <= sent <= outage_ended]
    assert during, "nothing was refused while the database was down"
    for answer in during:
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.headers["retry-after"]
    assert any(sent > outage_ended for sent, _ in load.accepted)  # without restarting it

    stored = asyncio.run(stored_ids(cluster.database_url))
    answered = {f"{body['id']}|{body['registration_number']}" for _, body in load.accepted}
    assert answered <= stored, answered - stored  # every 2xx is in the database
