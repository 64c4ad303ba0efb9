"""A service killed behind the gateway (issue 7, fault tests).

The gateway and the requests service run as real processes; the requests process is
killed (SIGKILL, no goodbye). Protections under test: a refused upstream becomes a 503
problem with Retry-After at once (no wait for a timeout), the circuit breaker stops
dialling a dead upstream, and nothing piles up in the gateway (its sockets stay
bounded); when the service returns on the same port the gateway uses it again.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.faults.support import requests_env, start_requests
from tests.requests.harness import ROOT_ID, AuthStack
from tests.support.procs import Proc, free_port, running, uvicorn_cmd

CALLS = 30
HOLIDAYS = f"/v1/calendar/holidays?root={ROOT_ID}&year=2026"


@pytest.fixture
def requests_port() -> int:
    return free_port()


@pytest.fixture
def gateway(auth_stack: AuthStack, requests_port: int) -> Iterator[Proc]:
    port = free_port()
    env = {
        "GATEWAY_AUTH_URL": auth_stack.url,
        "GATEWAY_REGISTRY_URL": f"http://127.0.0.1:{free_port()}",  # not needed here
        "GATEWAY_REQUESTS_URL": f"http://127.0.0.1:{requests_port}",
        "GATEWAY_JWT_ISSUER": auth_stack.minter.issuer,
        "GATEWAY_JWT_AUDIENCE": auth_stack.minter.audience,
        "GATEWAY_RATE_LIMIT_PER_MINUTE": "100000",
        "GATEWAY_BREAKER_FAILURES": "3",
        "GATEWAY_BREAKER_COOLDOWN": "1",
    }
    cmd = [*uvicorn_cmd("gateway.main:create_app", port), "--no-proxy-headers"]
    with running(cmd, port=port, env=env, name="faults-gateway") as proc:
        yield proc


def sockets(proc: Proc) -> int:
    """The gateway's open TCP sockets other than its listener."""
    found = psutil.Process(proc.pid).net_connections(kind="tcp")
    return sum(1 for conn in found if conn.status != psutil.CONN_LISTEN)


def test_gateway_answers_503_quickly_and_recovers(
    gateway: Proc, requests_port: int, auth_stack: AuthStack, faults_database: str, tmp_path: Path
) -> None:
    env = requests_env(auth_stack, faults_database, tmp_path)
    with httpx.Client(base_url=gateway.url, timeout=10) as client:
        with start_requests(env, requests_port, name="faults-killed-1") as service:
            assert client.get(HOLIDAYS).status_code == 200
            healthy = sockets(gateway)
            os.kill(service.pid, signal.SIGKILL)
            service.popen.wait(10)

        slowest = 0.0
        for _ in range(CALLS):
            started = time.monotonic()
            answer = client.get(HOLIDAYS)
            slowest = max(slowest, time.monotonic() - started)
            assert answer.status_code == 503, answer.text
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert int(answer.headers["retry-after"]) >= 1
        assert slowest < 2.0
        assert sockets(gateway) <= healthy + 2  # nothing piled up across the calls

        with start_requests(env, requests_port, name="faults-killed-2"):
            deadline = time.monotonic() + 5  # the breaker's cooldown is 1 s
            while (status := client.get(HOLIDAYS).status_code) != 200:
                assert status == 503
                assert time.monotonic() < deadline, "the gateway never used the service again"
                time.sleep(0.2)
