"""The stack under test: bench databases, the four apps, the reference app and nginx."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from tools import devdb, run
from tools.bench import data
from tools.services import GATEWAY, ROOT, SERVICES, App, migrate

LOGS = ROOT / "var" / "bench" / "logs"
REFERENCE_PORT = 18010
NGINX_PORT = 18020


@dataclass
class Stack:
    urls: dict[str, str]  # database URLs per service
    procs: dict[str, subprocess.Popen[bytes]]
    gateway: str
    reference: str
    nginx: str | None  # None: nginx_problem says why
    nginx_problem: str = ""
    extra: list[subprocess.Popen[bytes]] = field(default_factory=list)


def _marker(url: str) -> str | None:
    async def read() -> str | None:
        conn = await asyncpg.connect(data.libpq(url))
        try:
            value: str | None = await conn.fetchval(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = current_database()"
            )
            return value
        finally:
            await conn.close()

    return asyncio.run(read())


@contextlib.contextmanager
def _server() -> Iterator[devdb.Server]:
    port = int(os.environ.get("PPID_PG_PORT", "55432"))
    if not os.environ.get("PPID_DATABASE_URL") and devdb.port_open("127.0.0.1", port):
        yield devdb.Server(url=f"postgresql://postgres@127.0.0.1:{port}")  # `make run`'s
        return
    with devdb.server(reuse_local=True, port=port) as srv:
        yield srv


def prepare(srv: devdb.Server) -> dict[str, str]:
    """The bench databases, migrated and filled (reused when this generator made them)."""
    # Its own prefix: a bench database whose data is not this generator's is dropped, so
    # it must never be one of `make run`'s (PPID_DATABASE_PREFIX).
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "terbuka_bench")
    if "bench" not in prefix:
        raise SystemExit(f"BENCH_DATABASE_PREFIX must contain 'bench': {prefix!r}")
    urls: dict[str, str] = {}
    for app in SERVICES:
        name = f"{prefix}_{app.name}"
        url = devdb.ensure_database(srv, name)
        if _marker(url) != data.VERSION:
            url = devdb.recreate_database(srv, name)
        migrate(app, url)
        urls[app.name] = url
    print("bench: the data set (generated on the first run, reused after)", flush=True)
    data.ensure(urls)
    return urls


def start_app(app: App, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Like `make run` (access log included), its output to var/bench/logs/ not the terminal."""
    cmd = [sys.executable, "-m", "uvicorn", app.factory, "--factory"]
    cmd += ["--host", run.HOST, "--port", str(run.port_of(app)), "--no-access-log"]
    if app is GATEWAY:
        cmd.append("--no-proxy-headers")
    LOGS.mkdir(parents=True, exist_ok=True)
    with (LOGS / f"{app.name}.log").open("ab") as log:
        return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited with code {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout:.0f}s")


def start_reference(urls: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BENCH_REGISTRY_DSN": data.libpq(urls["registry"]),
        "BENCH_REQUESTS_DSN": data.libpq(urls["requests"]),
    }
    cmd = [sys.executable, "-m", "uvicorn", "tools.bench.reference:app", "--no-access-log"]
    cmd += ["--host", run.HOST, "--port", str(REFERENCE_PORT), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    _wait(f"http://{run.HOST}:{REFERENCE_PORT}/readyz", proc)
    return proc


def _apt(args: list[str]) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return (
        subprocess.run(["apt-get", *args], env=env, check=False, capture_output=True).returncode
        == 0
    )


def _apt_install() -> bool:
    for package in ("nginx-light", "nginx"):
        _apt(["install", "-y", "-q", "--no-install-recommends", package])
        if Path("/usr/sbin/nginx").exists():
            return True
    return False


def nginx_binary() -> tuple[str | None, str]:
    """Debian's nginx; installed with apt-get when missing and we are root."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found, ""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "nginx is not installed (apt-get install nginx-light, as root)"
    print("bench: installing Debian's nginx (apt-get)", flush=True)
    # A fresh image may have no package lists yet: update once when the install fails.
    if _apt_install() or (_apt(["update", "-q"]) and _apt_install()):
        return "/usr/sbin/nginx", ""
    return None, "apt-get could not install nginx-light or nginx"


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream registry {{ server {upstream}; keepalive 64; }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://registry;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
        }}
    }}
}}
"""


def start_nginx(upstream: str) -> tuple[subprocess.Popen[bytes] | None, str]:
    binary, problem = nginx_binary()
    if binary is None:
        return None, problem
    folder = Path(tempfile.mkdtemp(prefix="terbuka-bench-nginx-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # after nginx stopped
    folder.chmod(0o755)
    conf = folder / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(dir=folder, upstream=upstream, host=run.HOST, port=NGINX_PORT)
    )
    proc = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(conf)],
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(f"http://{run.HOST}:{NGINX_PORT}/readyz", proc)
    except RuntimeError as exc:
        return None, f"nginx did not start: {exc}"
    return proc, ""


@contextlib.contextmanager
def bench_stack() -> Iterator[Stack]:
    procs: dict[str, subprocess.Popen[bytes]] = {}
    extra: list[subprocess.Popen[bytes]] = []
    with _server() as srv, run.mail() as smtp:
        urls = prepare(srv)
        try:
            env = {**smtp, **run.app_environment(urls)}
            run.load_demo(env)
            for app in (*SERVICES, GATEWAY):
                procs[app.name] = start_app(app, env)
            run.wait_ready(procs)
            extra.append(start_reference(urls))
            registry = next(app for app in SERVICES if app.name == "registry")
            nginx, problem = start_nginx(f"{run.HOST}:{run.port_of(registry)}")
            if nginx is not None:
                extra.append(nginx)
            yield Stack(
                urls=urls,
                procs=procs,
                gateway=run.url_of(GATEWAY),
                reference=f"http://{run.HOST}:{REFERENCE_PORT}",
                nginx=f"http://{run.HOST}:{NGINX_PORT}" if nginx is not None else None,
                nginx_problem=problem,
                extra=extra,
            )
        finally:
            run.stop_all({**procs, **{str(i): proc for i, proc in enumerate(extra)}})
