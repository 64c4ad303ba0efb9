"""`make run`: PostgreSQL, migrations and the four processes, stopped together.

Configuration (environment):
  PPID_DATABASE_URL   a PostgreSQL server (postgresql://user:pass@host:port); when unset
                      a throwaway cluster is started under var/ on PPID_PG_PORT (55432)
  PPID_DATABASE_PREFIX  prefix of the per-service database names (terbuka)
  PPID_HOST           address every process listens on (127.0.0.1)
  PPID_GATEWAY_PORT, PPID_AUTH_PORT, PPID_REGISTRY_PORT, PPID_REQUESTS_PORT
                      ports (8000, 8001, 8002, 8003)
  PPID_DEMO           1 (default) seeds the demo badan publik and prints its logins; 0 skips
  AUTH_SMTP_HOST      an SMTP server for emails to requesters; unset: they are written to var/mail/
Anything else the apps read (AUTH_*, REGISTRY_*, REQUESTS_*, GATEWAY_*) passes through.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TypeVar

import httpx

from tools import devdb, mailsink
from tools.services import GATEWAY, ROOT, SERVICES, App, migrate

HOST = os.environ.get("PPID_HOST", "127.0.0.1")
VAR = ROOT / "var"
T = TypeVar("T")


def port_of(app: App) -> int:
    return int(os.environ.get(f"PPID_{app.name.upper()}_PORT", app.default_port))


def url_of(app: App) -> str:
    return f"http://{HOST}:{port_of(app)}"


def app_environment(database_urls: dict[str, str]) -> dict[str, str]:
    """Settings every process gets, unless the caller's environment already has them."""
    auth = url_of(SERVICES[0])
    env: dict[str, str] = {}
    for app in SERVICES:
        env[f"{app.env_prefix}DATABASE_URL"] = database_urls[app.name]
        env[f"{app.env_prefix}JWKS_URL"] = f"{auth}/.well-known/jwks.json"
        env[f"{app.env_prefix}UNIT_TREE_URL"] = f"{auth}/v1/units/tree"
        env[f"GATEWAY_{app.name.upper()}_URL"] = url_of(app)
    env["GATEWAY_JWKS_URL"] = f"{auth}/.well-known/jwks.json"
    env["REGISTRY_STORAGE_DIR"] = str(VAR / "objects")
    # The requests service's private bucket (identity scans, delivered information).
    env["REQUESTS_STORAGE_DIR"] = str(VAR / "request-objects")
    registry = next(app for app in SERVICES if app.name == "registry")
    env["REQUESTS_REGISTRY_URL"] = url_of(registry)
    return {**env, **os.environ}


def start(app: App, env: dict[str, str]) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "uvicorn", app.factory, "--factory"]
    cmd += ["--host", HOST, "--port", str(port_of(app)), "--no-access-log"]
    if app is GATEWAY:
        # The gateway itself decides which X-Forwarded-For to trust (rate limits by address).
        cmd.append("--no-proxy-headers")
    return subprocess.Popen(cmd, env=env, cwd=ROOT)


def wait_ready(procs: dict[str, subprocess.Popen[bytes]], timeout: float = 60) -> None:
    pending = {name: url_of(app) for app in (*SERVICES, GATEWAY) if (name := app.name) in procs}
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for name, base in list(pending.items()):
            if procs[name].poll() is not None:
                raise RuntimeError(f"{name} exited with code {procs[name].returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    del pending[name]
        time.sleep(0.2)
    if pending:
        raise RuntimeError(f"not ready after {timeout:.0f}s: {', '.join(pending)}")


def stop_all(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + 15
    for proc in procs.values():
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Stop(Exception):
    """Raised from the signal handler to unwind into the cleanup."""


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    raise Stop(signum)


@contextlib.contextmanager
def databases() -> Iterator[dict[str, str]]:
    prefix = os.environ.get("PPID_DATABASE_PREFIX", "terbuka")
    port = int(os.environ.get("PPID_PG_PORT", "55432"))
    with devdb.server(reuse_local=False, port=port) as srv:
        urls = {app.name: devdb.ensure_database(srv, f"{prefix}_{app.name}") for app in SERVICES}
        # Each service's own database: the three migrate side by side.
        side_by_side(*(functools.partial(migrate, app, urls[app.name]) for app in SERVICES))
        yield urls


def supervise(procs: dict[str, subprocess.Popen[bytes]]) -> int:
    """Block until a process dies; its exit is an error."""
    while True:
        for name, proc in procs.items():
            if proc.poll() is not None:
                print(f"terbuka: {name} exited with code {proc.returncode}", file=sys.stderr)
                return 1
        time.sleep(0.5)


def side_by_side(*calls: Callable[[], T]) -> list[T]:
    """Run independent steps (each mostly a Python process starting) in parallel; their
    results in order, the first failure raised."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]


def load_demo(env: dict[str, str]) -> str:
    """Seed the demo badan publik (idempotent); returns the credentials it prints.

    auth: the units and accounts; registry: the demo DIP of the same units; requests: the
    demo root's working calendar and fees. The ids are shared through ppid_kit.demo, so
    the three seed side by side."""
    if os.environ.get("PPID_DEMO", "1") == "0":
        return ""

    def seed(module: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", module, "--yes-demo"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    modules = ("auth_service.demo", "registry_service.demo", "requests_service.demo")
    return "".join(side_by_side(*(functools.partial(seed, module) for module in modules)))


@contextlib.contextmanager
def mail() -> Iterator[dict[str, str]]:
    """SMTP settings for auth: the configured server, or a sink writing to var/mail/."""
    if os.environ.get("AUTH_SMTP_HOST"):
        yield {}
        return
    sink = mailsink.start(VAR / "mail", HOST)
    try:
        yield {"AUTH_SMTP_HOST": HOST, "AUTH_SMTP_PORT": str(sink.port)}
    finally:
        sink.stop()


def serve(urls: dict[str, str], smtp: dict[str, str]) -> int:
    procs: dict[str, subprocess.Popen[bytes]] = {}
    try:
        env = {**smtp, **app_environment(urls)}
        demo = load_demo(env)
        for app in (*SERVICES, GATEWAY):
            procs[app.name] = start(app, env)
        wait_ready(procs)
        gateway = url_of(GATEWAY)
        print(f"\nTerbuka is up.\n  gateway: {gateway}\n  docs:    {gateway}/docs\n", flush=True)
        if demo:
            print(f"Demo data (PPID_DEMO=0 skips it):\n{demo}", flush=True)
        if smtp:
            print(f"Emails to requesters are written to {VAR / 'mail'}/\n", flush=True)
        return supervise(procs)
    finally:
        # A second Ctrl-C must not interrupt the cleanup.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_all(procs)


def main() -> int:
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        with databases() as urls, mail() as smtp:
            return serve(urls, smtp)
    except Stop:
        return 0
    finally:
        print("terbuka: stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
