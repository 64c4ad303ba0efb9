"""Request ids in and out, and the JSON log lines that carry them."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import pytest
from fastapi import APIRouter
from ppid_kit.logging import configure_logging, get_request_id
from ppid_kit.settings import ServiceSettings

from tests.kit.helpers import APP_NAME, build_app, serving

router = APIRouter()


@router.get("/v1/echo/{item_id}")
async def echo(item_id: str) -> dict[str, str | None]:
    logging.getLogger("kit.test.route").info("inside route", extra={"item": item_id})
    return {"request_id": get_request_id()}


def _log_lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


async def test_valid_incoming_request_id_is_kept(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        response = await client.get("/v1/echo/1", headers={"X-Request-ID": "gw-abc.123:x_y-z"})
    assert response.headers["x-request-id"] == "gw-abc.123:x_y-z"
    assert response.json() == {"request_id": "gw-abc.123:x_y-z"}


@pytest.mark.parametrize(
    "incoming", [None, "has space", "x" * 129, "semi;colon", "ünï".encode("latin-1")]
)
async def test_missing_or_invalid_request_id_is_generated(
    settings: ServiceSettings, incoming: str | bytes | None
) -> None:
    raw = incoming.encode("latin-1") if isinstance(incoming, str) else incoming
    headers = [] if raw is None else [(b"X-Request-ID", raw)]
    async with serving(build_app(settings, [router])) as client:
        response = await client.get("/v1/echo/1", headers=headers)
    generated = response.headers["x-request-id"]
    assert generated != incoming
    assert uuid.UUID(generated).version == 4
    assert response.json() == {"request_id": generated}


async def test_request_ids_differ_between_requests(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        first = await client.get("/v1/echo/1")
        second = await client.get("/v1/echo/1")
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_logs_are_json_lines_with_request_id(
    settings: ServiceSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    async with serving(build_app(settings, [router])) as client:
        capsys.readouterr()
        response = await client.get(
            "/v1/echo/42?nik=3171234567890123&token=querysecret",
            headers={
                "X-Request-ID": "req-42",
                "Authorization": "Bearer headersecret",
                "Cookie": "session=cookiesecret",
            },
        )
    out = capsys.readouterr().out
    assert response.status_code == 200
    lines = _log_lines(out)  # every line parses as JSON
    route_line = next(line for line in lines if line["msg"] == "inside route")
    assert route_line["request_id"] == "req-42"
    assert route_line["service"] == APP_NAME
    assert route_line["level"] == "INFO"
    assert route_line["logger"] == "kit.test.route"
    assert route_line["item"] == "42"
    assert "ts" in route_line
    access = next(line for line in lines if line["logger"] == "ppid_kit.access")
    assert access["request_id"] == "req-42"
    assert access["method"] == "GET"
    assert access["route"] == "/v1/echo/{item_id}"
    assert access["status"] == 200
    assert isinstance(access["duration_ms"], float)
    for secret in ("3171234567890123", "querysecret", "headersecret", "cookiesecret"):
        assert secret not in out


def test_secret_extras_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("masking", "DEBUG")
    logging.getLogger("kit.test").warning("careless", extra={"authorization": "Bearer zzz"})
    line = _log_lines(capsys.readouterr().out)[-1]
    assert line["authorization"] == "[redacted]"
    assert line["request_id"] is None
    assert line["service"] == "masking"
