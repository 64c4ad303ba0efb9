"""A PostgreSQL server for development and tests.

Uses `PPID_DATABASE_URL` when set, else the server on 127.0.0.1:5432 when one
answers (tests only), else a throwaway cluster under `var/` started with
`initdb`/`pg_ctl` (run as the `postgres` user when we are root, since initdb
refuses root).
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DEFAULT_LOCAL = "postgresql://postgres@127.0.0.1:5432"


@dataclass(frozen=True)
class Server:
    """A reachable server; `url` has no database name and no driver suffix."""

    url: str
    cluster: Path | None = None  # set when we started it and must stop it

    def database_url(self, name: str, *, driver: str = "asyncpg") -> str:
        scheme, rest = self.url.split("://", 1)
        scheme = "postgresql" if scheme in ("postgres", "postgresql") else scheme.split("+")[0]
        return f"{scheme}+{driver}://{rest.rstrip('/')}/{name}"

    def libpq_url(self, name: str = "postgres") -> str:
        rest = self.url.split("://", 1)[1]
        return f"postgresql://{rest.rstrip('/')}/{name}"


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout):
        return True
    return False


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if candidates:
        return candidates[-1]
    raise RuntimeError(
        f"{name} not found: install PostgreSQL (Debian: apt-get install postgresql) "
        "or set PPID_DATABASE_URL to a server"
    )


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def cluster_folder(port: int) -> Path:
    """Where the throwaway cluster of `port` lives: var/pg-<port>."""
    return VAR / f"pg-{port}"


def _cluster_dir(port: int) -> Path:
    """var/pg-<port> when the postgres user can use it, else a private temp folder."""
    wanted = cluster_folder(port)
    wanted.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return wanted
    pw = pwd.getpwnam("postgres")
    os.chown(wanted, pw.pw_uid, pw.pw_gid)
    probe = subprocess.run(_as_postgres(["test", "-w", str(wanted)]), check=False)
    if probe.returncode == 0:
        return wanted
    fallback = Path(tempfile.mkdtemp(prefix="terbuka-pg-"))
    os.chown(fallback, pw.pw_uid, pw.pw_gid)
    return fallback


def start_cluster(port: int) -> Server:
    """initdb (once) and start a cluster on 127.0.0.1:port, trust auth."""
    base = _cluster_dir(port)
    data, sock = base / "data", base / "sock"
    if not (data / "PG_VERSION").exists():
        subprocess.run(
            _as_postgres(
                [_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    sock.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(sock, pw.pw_uid, pw.pw_gid)
    status = subprocess.run(
        _as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "status"]),
        check=False,
        stdout=subprocess.DEVNULL,
    )
    if status.returncode == 0 and port_open("127.0.0.1", port):
        # Left running by a run that was killed before it could stop it: use it (and stop
        # it when done), since `pg_ctl start` would refuse a data folder in use.
        return Server(url=f"postgresql://postgres@127.0.0.1:{port}", cluster=data)
    opts = f"-h 127.0.0.1 -p {port} -k {sock} -c fsync=off -c max_connections=300"
    subprocess.run(
        _as_postgres(
            [_pg_bin("pg_ctl"), "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w", "start"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return Server(url=f"postgresql://postgres@127.0.0.1:{port}", cluster=data)


def stop_cluster(server: Server) -> None:
    if server.cluster is None:
        return
    subprocess.run(
        _as_postgres([_pg_bin("pg_ctl"), "-D", str(server.cluster), "-m", "fast", "-w", "stop"]),
        check=False,
        stdout=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def server(*, reuse_local: bool, port: int = 55432) -> Iterator[Server]:
    """The configured server, the local one (when allowed), or a throwaway cluster."""
    configured = os.environ.get("PPID_DATABASE_URL")
    if configured:
        yield Server(url=configured)
        return
    if reuse_local and port_open("127.0.0.1", 5432):
        yield Server(url=DEFAULT_LOCAL)
        return
    started = start_cluster(port)
    try:
        yield started
    finally:
        stop_cluster(started)


def drop_database(srv: Server, name: str) -> None:
    _admin(srv, f'DROP DATABASE IF EXISTS "{_identifier(name)}" WITH (FORCE)')


def recreate_database(srv: Server, name: str) -> str:
    """Drop and create database `name`; returns its asyncpg URL."""
    drop_database(srv, name)
    _admin(srv, f'CREATE DATABASE "{_identifier(name)}"')
    return srv.database_url(name)


def copy_database(srv: Server, name: str, template: str) -> str:
    """Drop database `name` and create it as a copy of `template` (which nobody may be
    connected to); returns its asyncpg URL. Far cheaper than migrating a new database."""
    drop_database(srv, name)
    _admin(srv, f'CREATE DATABASE "{_identifier(name)}" TEMPLATE "{_identifier(template)}"')
    return srv.database_url(name)


def database_exists(srv: Server, name: str) -> bool:
    return _admin(srv, "SELECT 1 FROM pg_database WHERE datname = $1", name, fetch=True)


def ensure_database(srv: Server, name: str) -> str:
    """Create database `name` when missing; returns its asyncpg URL."""
    if not database_exists(srv, name):
        _admin(srv, f'CREATE DATABASE "{_identifier(name)}"')
    return srv.database_url(name)


def _identifier(name: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a plain database name: {name!r}")
    return name


def _admin(srv: Server, sql: str, *args: str, fetch: bool = False) -> bool:
    async def run() -> bool:
        conn = await asyncpg.connect(srv.libpq_url("postgres"))
        try:
            if fetch:
                return await conn.fetchval(sql, *args) is not None
            await conn.execute(sql, *args)
            return True
        finally:
            await conn.close()

    return asyncio.run(run())
