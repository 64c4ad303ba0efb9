"""The committed specs in openapi/ are what the code produces (`make openapi`)."""

from __future__ import annotations

import pytest

from tools.openapi import documents


def test_committed_specs_match_the_code() -> None:
    drifted = [
        path.name
        for path, text in documents().items()
        if not path.exists() or path.read_text() != text
    ]
    if drifted:
        pytest.fail(f"openapi/ is out of date for {drifted}: run `make openapi` and commit")


def test_merged_spec_holds_every_service_path() -> None:
    docs = {path.name: text for path, text in documents().items()}
    merged = docs["openapi.json"]
    for path in ('"/v1/units"', '"/v1/dip/entries"', '"/v1/calendar/holidays"'):
        assert path in merged
