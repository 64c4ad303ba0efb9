"""`python -m requests_service.demo`: the demo root's calendar, idempotent."""

from __future__ import annotations

import datetime as dt
import subprocess
from zoneinfo import ZoneInfo

import httpx
import pytest
from requests_service.calendar.seed import package_days
from requests_service.demo import seed as demo
from requests_service.demo.__main__ import main

from tests.requests.calendar.support import POLICY
from tests.requests.harness import ROOT_ID
from tests.services.support import CURSOR_SECRET, one_row
from tests.support.procs import run_module

COUNTS = (
    "SELECT (SELECT count(*) FROM calendar_days), (SELECT count(*) FROM calendar_policies), "
    "(SELECT max(version) FROM calendar_policies), (SELECT count(*) FROM audit_log)"
)


def seed_command(database_url: str) -> subprocess.CompletedProcess[str]:
    env = {"REQUESTS_DATABASE_URL": database_url, "REQUESTS_CURSOR_SECRET": CURSOR_SECRET}
    return run_module("requests_service.demo", "--yes-demo", env=env)


def test_refuses_without_being_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REQUESTS_DEMO", raising=False)
    assert main([]) == 2
    assert "Refusing" in capsys.readouterr().err


async def test_demo_calendar_is_auths_root_and_idempotent(
    requests_client: httpx.AsyncClient, requests_database: str
) -> None:
    assert demo.ROOT_ID == ROOT_ID  # ppid_kit.demo.demo_id("kota-contoh"), as auth's
    this_year = dt.datetime.now(ZoneInfo("Asia/Jakarta")).year
    expected = len(package_days(this_year)) + len(package_days(this_year + 1))

    first = seed_command(requests_database)
    assert first.returncode == 0, first.stderr
    assert "Demo calendar" in first.stdout
    assert await one_row(requests_database, COUNTS) == (expected, 1, 1, 2)  # calendar and fees

    policy = (await requests_client.get(POLICY)).json()
    assert {k: policy[k] for k in ("time_zone", "service_start", "service_end", "version")} == {
        "time_zone": "Asia/Jakarta",
        "service_start": "08:00:00",
        "service_end": "16:00:00",
        "version": 1,
    }
    assert policy["updated_at"] is not None
    listed = await requests_client.get(
        "/v1/calendar/holidays", params={"root": str(ROOT_ID), "year": str(this_year + 1)}
    )
    assert len(listed.json()["items"]) == len(package_days(this_year + 1))
    fees = (await requests_client.get(f"/v1/requests/fees/{ROOT_ID}")).json()
    assert fees["version"] == 1
    assert {item["code"] for item in fees["items"]} >= {"FC-A4", "CD-DVD"}

    second = seed_command(requests_database)
    assert second.returncode == 0, second.stderr
    assert "0 days new" in second.stdout
    assert await one_row(requests_database, COUNTS) == (expected, 1, 1, 2)  # calendar and fees
    again = (await requests_client.get(f"/v1/requests/fees/{ROOT_ID}")).json()
    assert again["version"] == 1, "a second seed leaves the fee schedule alone"
