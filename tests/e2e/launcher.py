"""Run `python -m tools.run` (what `make run` runs) as a real process group."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import psutil

from tests.support.procs import LOGS, ROOT, free_port, wait_http
from tests.support.smtp import SmtpServer
from tools import devdb


def requests_mail_env(mailbox: SmtpServer) -> dict[str, str]:
    """The requests service's outbox pointed at `mailbox`, polled fast enough for a flow."""
    return {
        "REQUESTS_SMTP_HOST": mailbox.host,
        "REQUESTS_SMTP_PORT": str(mailbox.port),
        "REQUESTS_OUTBOX_POLL_SECONDS": "0.5",
    }


@dataclass
class Stack:
    launcher: subprocess.Popen[bytes]
    ports: dict[str, int]
    log_name: str

    def url(self, app: str = "gateway") -> str:
        return f"http://127.0.0.1:{self.ports[app]}"

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.launcher.pid).children(recursive=True)

    def log(self) -> str:
        return (LOGS / self.log_name).read_text(errors="replace")


def stack_environment(
    ports: dict[str, int],
    database_url: str | None,
    extra: Mapping[str, str],
    prefix: str = "terbuka_e2e",
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPID_")}
    env.update(extra)
    env.update({f"PPID_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env["PPID_DATABASE_PREFIX"] = prefix
    if database_url:
        env["PPID_DATABASE_URL"] = database_url
    return env


@contextmanager
def launched(
    *,
    database_url: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    timeout: float = 120,
    database_prefix: str = "terbuka_e2e",
) -> Iterator[Stack]:
    """`database_prefix`: a module whose MFA logins must not meet another module's used
    TOTP steps (one code works once per account) takes databases of its own."""
    names = ("gateway", "auth", "registry", "requests", "pg")
    ports = {name: free_port() for name in names}
    LOGS.mkdir(parents=True, exist_ok=True)
    log_name = f"launcher-{ports['gateway']}.log"
    with (LOGS / log_name).open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tools.run"],
            cwd=ROOT,
            env=stack_environment(ports, database_url, extra_env or {}, database_prefix),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives `make run`
        )
    stack = Stack(launcher=proc, ports=ports, log_name=log_name)
    try:
        wait_http(f"{stack.url()}/readyz", timeout=timeout)
        yield stack
    finally:
        stop(proc)
        if database_url is None:
            # The launcher's throwaway cluster (about 80 MB): the next stack gets another
            # free port, so this folder would never be used again.
            shutil.rmtree(devdb.cluster_folder(ports["pg"]), ignore_errors=True)


def stop(proc: subprocess.Popen[bytes], grace: float = 30) -> None:
    """SIGTERM first, as an operator would: the launcher stops the apps and its throwaway
    PostgreSQL cluster (started by pg_ctl outside the process group, so a SIGKILL of the
    group would leave that server running). SIGKILL only when the grace runs out."""
    if proc.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
