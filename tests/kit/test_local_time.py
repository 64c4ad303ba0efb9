"""`LocalTime`: a wall-clock time in the root's zone, with a spec a JSON Schema validator
accepts ("08:00:00" is not an RFC 3339 `time`, which needs an offset; the fuzzer found it)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from ppid_kit.models import LocalTime
from pydantic import BaseModel, ValidationError


class Hours(BaseModel):
    opens: LocalTime


def test_a_local_time_round_trips_and_matches_its_documented_pattern() -> None:
    hours = Hours.model_validate({"opens": "08:00"})
    assert hours.opens == dt.time(8, 0)
    schema = Hours.model_json_schema()["properties"]["opens"]
    assert "format" not in schema
    dumped = hours.model_dump(mode="json")["opens"]
    assert dumped == "08:00:00"
    assert re.fullmatch(schema["pattern"], dumped)
    assert not re.fullmatch(schema["pattern"], "24:00:00")


@pytest.mark.parametrize("value", ["08:00:00+07:00", "08:00Z"])
def test_a_time_with_an_offset_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="offset"):
        Hours.model_validate({"opens": value})
