"""A real webhook receiver on loopback, API client tokens, and waiting for deliveries.

The receiver (stdlib `http.server` in a thread) records every POST and checks its
signature with the `standardwebhooks` library against the secrets it was told, so the
service's signing is verified by an independent implementation. Each path is one
endpoint whose answers a test scripts (`fail_next`, `always`).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ppid_kit.tokens import sign_token
from standardwebhooks import Webhook, WebhookVerificationError

from tests.requests.harness import Minter

Json = dict[str, Any]
MANAGE = "webhooks:manage requests:submit requests:track"


def client_headers(minter: Minter, client_id: str, scope: str = MANAGE) -> dict[str, str]:
    """An API client's access token (`typ: client`), as auth issues for client credentials."""
    now = int(time.time())
    claims = {
        "iss": minter.issuer,
        "aud": minter.audience,
        "sub": client_id,
        "typ": "client",
        "client_id": client_id,
        "scope": scope,
        "grants": [],
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "jti": uuid.uuid4().hex,
    }
    token = sign_token(claims, minter.pem, kid=minter.kid, algorithm=minter.alg)
    return {"Authorization": f"Bearer {token}"}


def new_client_id() -> str:
    return f"tbk-{uuid.uuid4().hex[:16]}"


@dataclass
class Received:
    """One POST as the receiver saw it."""

    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def payload(self) -> Json:
        parsed: Json = json.loads(self.body)
        return parsed

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]

    def verifies_with(self, secret: str) -> bool:
        """True when `secret` (`whsec_…`) signed it (the library's check, timestamp too)."""
        try:
            Webhook(secret).verify(self.body, self.headers)
        except WebhookVerificationError:
            return False
        return True


@dataclass
class Endpoint:
    """How one path answers: `fail_next` failures (`status`), then `always`."""

    always: int = 204
    fail_next: int = 0
    status: int = 500
    received: list[Received] = field(default_factory=list)

    def answer(self) -> int:
        if self.fail_next > 0:
            self.fail_next -= 1
            return self.status
        return self.always


class Receiver:
    """The loopback server; `url(name)` is an endpoint's URL."""

    def __init__(self) -> None:
        self.endpoints: dict[str, Endpoint] = {}
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                status = receiver.record(self.path, headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def record(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            endpoint = self.endpoints.setdefault(path.strip("/"), Endpoint(always=404))
            endpoint.received.append(Received(path, headers, body, time.monotonic()))
            return endpoint.answer()

    def endpoint(self, name: str, **behaviour: Any) -> Endpoint:
        with self._lock:
            made = self.endpoints[name] = Endpoint(**behaviour)
            return made

    def url(self, name: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/{name}"

    def all_received(self) -> list[Received]:
        with self._lock:
            return [r for e in self.endpoints.values() for r in e.received]

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


async def wait_for(check: Callable[[], bool], within: float = 10.0) -> None:
    """Poll `check` until true; fail the test after `within` seconds."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "timed out waiting for the webhook worker"
        await asyncio.sleep(0.02)


async def wait_until(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    """`wait_for` for checks that must await (e.g. reading the delivery log)."""
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, "timed out waiting for the webhook worker"
        await asyncio.sleep(0.02)
