"""The personal-data guard of the requests suite (DOMAIN.md 17; issue 5, done-when 4).

Every log record emitted while the suite runs, every response given to a caller
who is not an official (anonymous, a requester's account, a tracking secret) and
the service's `/metrics` are searched for the test requesters' NIK, phone numbers
and addresses (`tests.requests.people`). The session fixture in the conftest
fails the run when any is found.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass, field

import httpx
from ppid_kit.logging import JsonFormatter

from tests.requests.people import personal_values


def _token_type(request: httpx.Request) -> str | None:
    """The `typ` claim of the bearer token, read without verifying (None: no token)."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    try:
        payload = header.split(" ", 1)[1].split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return "invalid"
    return str(claims.get("typ"))


class _Capture(logging.Handler):
    def __init__(self, guard: PiiGuard) -> None:
        super().__init__(level=logging.DEBUG)
        self.guard = guard
        self.setFormatter(JsonFormatter("requests"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # a record that cannot be formatted is still searched
            text = str(record.__dict__)
        self.guard.check("log line", text)


@dataclass
class PiiGuard:
    findings: list[str] = field(default_factory=list)
    responses_seen: int = 0
    log_lines_seen: int = 0
    metrics_seen: int = 0

    def check(self, where: str, text: str) -> None:
        if where == "log line":
            self.log_lines_seen += 1
        for value in personal_values():
            if value in text:
                self.findings.append(f"{where}: …{value[:4]}… in {text[:200]!r}")

    async def inspect_response(self, response: httpx.Response) -> None:
        """Responses to anyone but an official are public as far as DOMAIN.md 17 goes."""
        if _token_type(response.request) == "official":
            return
        await response.aread()
        self.responses_seen += 1
        where = f"response {response.request.method} {response.request.url.path}"
        self.check(where, response.content.decode("utf-8", "replace"))
        self.check(f"{where} headers", str(dict(response.headers)))

    async def inspect_metrics(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/metrics")
        self.metrics_seen += 1
        self.check("metrics", response.text)

    def handler(self) -> logging.Handler:
        return _Capture(self)


GUARD = PiiGuard()
