"""`make run` end to end: the four apps as real processes behind the real gateway."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator

import httpx
import psutil
import pytest

from tests.e2e.launcher import Stack, launched
from tools import devdb, run

SERVICE_PATHS = {
    "auth": "/v1/units",
    "registry": "/v1/dip/entries",
    "requests": "/v1/calendar/holidays",
}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """A stack on a throwaway cluster: PPID_DATABASE_URL is not set."""
    with launched() as running:
        # The gateway answers before the launcher has seen every service ready and said so.
        deadline = time.monotonic() + 30
        while "Terbuka is up" not in running.log():
            assert time.monotonic() < deadline, running.log()
            time.sleep(0.1)
        yield running


def gone(procs: list[psutil.Process], timeout: float = 20) -> bool:
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return not alive


def test_gateway_ready_and_docs_without_external_requests(stack: Stack) -> None:
    assert httpx.get(f"{stack.url()}/readyz").status_code == 200
    docs = httpx.get(f"{stack.url()}/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", docs.text), "docs load an external asset"
    for asset in re.findall(r"(?:src|href)=[\"']([^\"']+)[\"']", docs.text):
        assert httpx.get(f"{stack.url()}{asset}").status_code == 200, asset


def test_the_demo_badan_publik_is_in_the_directory(stack: Stack) -> None:
    units = httpx.get(f"{stack.url()}/v1/units", params={"limit": 200}).json()["items"]
    names = {unit["name"] for unit in units}
    assert {"Pemerintah Kota Contoh", "Dinas Kesehatan", "RSUD Kota Contoh"} <= names


def test_merged_openapi_holds_every_service(stack: Stack) -> None:
    spec = httpx.get(f"{stack.url()}/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    for path in SERVICE_PATHS.values():
        assert path in spec["paths"], path


@pytest.mark.parametrize("service", sorted(SERVICE_PATHS))
def test_conventions_through_the_gateway(stack: Stack, service: str) -> None:
    path = SERVICE_PATHS[service]
    ok = httpx.get(f"{stack.url()}{path}", headers={"X-Request-ID": f"e2e-{service}-1"})
    assert ok.status_code == 200, ok.text
    assert ok.headers["x-request-id"] == f"e2e-{service}-1"
    assert "items" in ok.json()
    bad = httpx.get(f"{stack.url()}{path}?limit=0", headers={"Accept-Language": "en"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"]
    assert bad.json()["request_id"] == bad.headers["x-request-id"]
    missing = httpx.get(f"{stack.url()}{path}/does-not-exist/really")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("service", sorted(SERVICE_PATHS))
def test_each_service_exposes_health_and_metrics(stack: Stack, service: str) -> None:
    base = stack.url(service)
    assert httpx.get(f"{base}/healthz").status_code == 200
    assert httpx.get(f"{base}/readyz").status_code == 200
    metrics = httpx.get(f"{base}/metrics")
    assert metrics.status_code == 200
    assert "http_requests_total" in metrics.text


def test_ctrl_c_stops_every_process_and_the_cluster(stack: Stack) -> None:
    children = stack.descendants()
    assert len([p for p in children if "uvicorn" in " ".join(p.cmdline())]) == 4
    # PPID_DATABASE_URL unset: the launcher's own cluster serves on the port asked for.
    assert devdb.port_open("127.0.0.1", stack.ports["pg"])
    os.killpg(stack.launcher.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
    assert stack.launcher.wait(30) == 0
    assert gone(children), [p.pid for p in children if p.is_running()]
    assert not devdb.port_open("127.0.0.1", stack.ports["pg"])
    log = stack.log()
    assert "Terbuka is up" in log
    # The gateway and docs URLs, on the ports asked for (every port here is overridden).
    assert re.search(rf"gateway: +{re.escape(stack.url())}\n", log), log
    assert re.search(rf"docs: +{re.escape(stack.url())}/docs\n", log), log
    assert "admin@kota-contoh.example" in log, "the demo logins are printed"
    assert "demo-admin-terbuka" in log


def test_sigterm_with_a_given_server_stops_everything(pg_server: devdb.Server) -> None:
    for name in ("auth", "registry", "requests"):
        devdb.drop_database(pg_server, f"terbuka_e2e_{name}")
    with launched(database_url=pg_server.url) as stack:
        children = stack.descendants()  # the stack answered /readyz with 200 already
        assert devdb.database_exists(pg_server, "terbuka_e2e_registry")  # made on the given server
        stack.launcher.send_signal(signal.SIGTERM)  # the launcher alone, as an init system does
        started = time.monotonic()
        assert stack.launcher.wait(60) == 0
        assert gone(children)
        assert time.monotonic() - started < 60


def test_objects_go_under_var_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REGISTRY_STORAGE_DIR", "REQUESTS_STORAGE_DIR", "REGISTRY_STORAGE_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    urls = {name: f"postgresql+asyncpg://db/{name}" for name in SERVICE_PATHS}
    env = run.app_environment(urls)
    assert "REGISTRY_STORAGE_BACKEND" not in env  # the settings' default: local
    for name in ("REGISTRY_STORAGE_DIR", "REQUESTS_STORAGE_DIR"):
        assert env[name].startswith(str(devdb.VAR) + "/"), env[name]
    monkeypatch.setenv("REGISTRY_STORAGE_DIR", "/srv/objects")
    assert run.app_environment(urls)["REGISTRY_STORAGE_DIR"] == "/srv/objects"
