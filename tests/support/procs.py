"""Start real processes on loopback for tests, and stop them without leftovers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "var" / "test-logs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Proc:
    popen: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self, timeout: float = 10) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def wait_http(url: str, *, timeout: float = 30, proc: Proc | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.popen.poll() is not None:
            raise RuntimeError(f"process exited early:\n{proc.log_text()[-4000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code < 500:
                return
        time.sleep(0.1)
    tail = proc.log_text()[-4000:] if proc else ""
    raise TimeoutError(f"{url} not ready after {timeout}s\n{tail}")


def run_module(
    module: str, *args: str, env: Mapping[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m module args` from the repository root, `env` added to ours, its output
    captured as text; the caller checks the return code."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def uvicorn_cmd(factory: str, port: int) -> list[str]:
    """Command that serves the ASGI app factory `module:function` on 127.0.0.1:port."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        factory,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]


@contextlib.contextmanager
def running(
    cmd: list[str],
    *,
    port: int,
    env: Mapping[str, str] | None = None,
    ready_path: str | None = "/healthz",
    name: str = "proc",
    timeout: float = 30,
) -> Iterator[Proc]:
    """Run `cmd` (which listens on `port`) until the block ends; waits for `ready_path`."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{name}-{port}.log"
    full_env = {**os.environ, **(env or {})}
    with log.open("wb") as out:
        popen = subprocess.Popen(cmd, env=full_env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    proc = Proc(popen=popen, port=port, log=log)
    try:
        if ready_path is not None:
            wait_http(proc.url + ready_path, timeout=timeout, proc=proc)
        yield proc
    finally:
        proc.stop()
