"""The committed specs in openapi/ are what the code produces (`make openapi`)."""

from __future__ import annotations

import json
import subprocess
import sys

from tools.openapi import OUT
from tools.services import ROOT


def test_committed_specs_match_the_code() -> None:
    # A fresh process: problem kinds registered by other tests must not leak into the specs.
    check = subprocess.run(
        [sys.executable, "-m", "tools.openapi", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_merged_spec_holds_every_service_path() -> None:
    merged = json.loads((OUT / "openapi.json").read_text())
    for path in ("/v1/units", "/v1/auth/login", "/v1/dip/entries", "/v1/calendar/holidays"):
        assert path in merged["paths"]
    kinds = {kind["slug"] for kind in merged["x-terbuka-problems"]}
    assert {"account-locked", "invalid-cursor"} <= kinds
