"""A stand-in upstream for the gateway's tests: a raw ASGI echo app run by uvicorn.

It plays auth, registry or requests (`UPSTREAM_NAME`) and dispatches on the last
path segment, whatever the prefix: `echo`, `upload`, `download`, `break`, `sleep`, `hop`.
`/stats` (never routed by the gateway) tells the tests what it saw. As auth it also
serves the API clients' origins with an ETag, which tests change through `/control/origins`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections import Counter
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

BLOCK = hashlib.sha256(b"terbuka").digest() * 32768  # 1 MiB of a fixed pattern


def expected_download_sha256(size: int) -> str:
    """What the tests should see after downloading `size` bytes from `download`."""
    digest = hashlib.sha256()
    for offset in range(0, size, len(BLOCK)):
        digest.update(BLOCK[: min(len(BLOCK), size - offset)])
    return digest.hexdigest()


def openapi_for(name: str) -> dict[str, Any]:
    """A spec with paths of its own, of another upstream, and one the gateway never routes."""
    own = {
        "auth": ["/v1/units", "/v1/auth/token"],
        "registry": ["/v1/dip/entries", "/v1/dik/records"],
        "requests": ["/v1/requests", "/v1/calendar/holidays"],
    }[name]
    stray = "/v1/dip/entries" if name != "registry" else "/v1/units"
    paths = {path: _operation(f"{name}_{i}", "Thing") for i, path in enumerate(own)}
    paths[stray] = _operation(f"{name}_stray", "Shared")
    paths["/internal/debug"] = _operation(f"{name}_debug", "Shared")
    schemas = {
        "Thing": {"type": "object", "properties": {"owner": {"const": name}}},
        "Shared": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Unused": {"type": "string"},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": name, "version": "0"},
        "paths": paths,
        "components": {"schemas": schemas},
        "tags": [{"name": name}],
        # As ppid_kit publishes a service's own problem kinds.
        "x-terbuka-problems": [
            {
                "type": f"/problems/{name}-only",
                "slug": f"{name}-only",
                "status": 409,
                "title": {"id": f"Khusus {name}", "en": f"Only {name}"},
            }
        ],
    }


def _operation(operation_id: str, schema: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    return {
        "get": {
            "operationId": operation_id,
            "responses": {"200": {"description": "ok", "content": content}},
        }
    }


async def _json(send: Send, body: Any, status: int = 200, extra: Any = ()) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + list(extra)})
    await send({"type": "http.response.body", "body": data})


ORIGINS_PATH = "/v1/auth/clients/cors-origins"


class Upstream:
    def __init__(self, name: str, jwks: dict[str, Any], origins: list[str]) -> None:
        self.name = name
        self.jwks = jwks
        self.stats: Counter[str] = Counter()
        self.origins = origins
        self.origins_fail = False  # answer 503 to the gateway's polls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        path: str = scope["path"]
        if path in ("/healthz", "/readyz"):
            await _json(send, {"status": "ok"})
        elif path == "/stats":
            await _json(send, dict(self.stats))
        elif path == "/openapi.json":
            await _json(send, openapi_for(self.name))
        elif path == "/.well-known/jwks.json":
            await _json(send, self.jwks)
        elif path == ORIGINS_PATH and self.name == "auth":
            await self.client_origins(scope, send)
        elif path == "/control/origins":
            await self.set_origins(receive, send)
        else:
            self.stats["hits"] += 1
            action = path.rsplit("/", 1)[-1]
            await getattr(self, "do_" + action, self.do_echo)(scope, receive, send)

    async def client_origins(self, scope: Scope, send: Send) -> None:
        """As auth's `GET /v1/auth/clients/cors-origins`: a strong ETag, 304 when unchanged."""
        self.stats["origin_polls"] += 1
        if self.origins_fail:
            await _json(send, {"title": "down"}, status=503)
            return
        body = {"origins": self.origins}
        etag = '"' + hashlib.sha256(json.dumps(body).encode()).hexdigest()[:16] + '"'
        if dict(scope["headers"]).get(b"if-none-match") == etag.encode():
            self.stats["origin_polls_not_modified"] += 1
            await send({"type": "http.response.start", "status": 304, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await _json(send, body, extra=[(b"etag", etag.encode())])

    async def set_origins(self, receive: Receive, send: Send) -> None:
        """`{"origins": [...], "fail": false}` replaces the list the auth stand-in serves."""
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        wanted = json.loads(body)
        self.origins = list(wanted["origins"])
        self.origins_fail = bool(wanted.get("fail", False))
        await _json(send, {"origins": self.origins, "fail": self.origins_fail})

    async def do_echo(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]]
        await _json(
            send,
            {
                "upstream": self.name,
                "method": scope["method"],
                "raw_path": scope["raw_path"].decode("latin-1"),
                "query": scope["query_string"].decode("latin-1"),
                "headers": headers,
                "body_bytes": len(body),
            },
        )

    async def do_upload(self, scope: Scope, receive: Receive, send: Send) -> None:
        digest, size = hashlib.sha256(), 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.stats["uploads_aborted"] += 1
                self.stats["aborted_upload_bytes"] = size
                return
            chunk = message.get("body", b"")
            digest.update(chunk)
            size += len(chunk)
            if not message.get("more_body", False):
                break
        await _json(send, {"bytes": size, "sha256": digest.hexdigest()})

    async def do_download(self, scope: Scope, receive: Receive, send: Send) -> None:
        size = int(_query(scope, "size", "1024"))
        self.stats["downloads_started"] += 1
        headers = [
            (b"content-type", b"application/octet-stream"),
            (b"content-length", str(size).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        watcher = asyncio.ensure_future(_disconnected(receive))
        try:
            for offset in range(0, size, len(BLOCK)):
                if watcher.done():
                    self.stats["downloads_aborted"] += 1
                    return
                chunk = BLOCK[: min(len(BLOCK), size - offset)]
                await asyncio.sleep(0)  # send() stops yielding once the client is gone
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
            self.stats["downloads_finished"] += 1
        finally:
            watcher.cancel()

    async def do_break(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Promise 8 MiB, deliver 1 MiB, then die: a crash in the middle of a response."""
        headers = [(b"content-length", str(8 * len(BLOCK)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": BLOCK, "more_body": True})
        raise RuntimeError("upstream crashed mid-response (on purpose)")

    async def do_sleep(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.stats["sleeps"] += 1
        await asyncio.sleep(float(_query(scope, "seconds", "1")))
        await _json(send, {"slept": True})

    async def do_hop(self, scope: Scope, receive: Receive, send: Send) -> None:
        hop = [
            (b"connection", b"x-secret-hop"),
            (b"x-secret-hop", b"1"),
            (b"keep-alive", b"timeout=5"),
            (b"proxy-authenticate", b"Basic"),
            (b"x-kept", b"yes"),
        ]
        await _json(send, {"hop": True}, extra=hop)


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _query(scope: Scope, name: str, default: str) -> str:
    values = parse_qs(scope["query_string"].decode()).get(name)
    return values[0] if values else default


def create_app() -> ASGIApp:
    """uvicorn factory: `tests.gateway.upstream_app:create_app`."""
    jwks = json.loads(os.environ.get("UPSTREAM_JWKS", '{"keys": []}'))
    origins = json.loads(os.environ.get("UPSTREAM_ORIGINS", "[]"))
    return Upstream(os.environ.get("UPSTREAM_NAME", "registry"), jwks, origins)
