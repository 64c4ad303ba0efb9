"""Moving bodies between the client and an upstream in chunks, never whole."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import anyio
import httpx
from starlette.types import Receive, Send

from gateway.headers import RawHeaders, downstream_headers

_log = logging.getLogger("gateway.proxy")
# A small answer is sent in a blink; only longer ones need a watch for a departing client.
_WATCH_ABOVE = 256 * 1024


class BodyTooLarge(Exception):
    """The request body grew past the limit while streaming."""


class ClientGone(Exception):
    """The client disconnected before the request body was complete."""


async def request_chunks(receive: Receive, limit: int) -> AsyncIterator[bytes]:
    """The client's body as it arrives, counted: past `limit` bytes it stops with BodyTooLarge."""
    received = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk: bytes = message.get("body", b"")
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


async def relay(
    response: httpx.Response, receive: Receive, send: Send, extra: RawHeaders, upstream: str
) -> None:
    """Send the upstream's answer on as it comes; stop reading it when the client leaves."""
    headers = downstream_headers(response.headers.raw)
    headers += extra
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) <= _WATCH_ABOVE:
        await _pump(response, send, upstream)
        return
    async with anyio.create_task_group() as group:
        group.start_soon(_cancel_on_disconnect, receive, group.cancel_scope)
        await _pump(response, send, upstream)
        group.cancel_scope.cancel()


async def _pump(response: httpx.Response, send: Send, upstream: str) -> None:
    try:
        async for chunk in response.aiter_raw():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    except httpx.TransportError as exc:
        # Too late for a problem response: leaving it incomplete makes uvicorn cut the
        # connection, so the client sees a truncated body rather than a clean end.
        _log.warning("upstream %s broke off mid-response: %s", upstream, type(exc).__name__)
        return
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _cancel_on_disconnect(receive: Receive, scope: anyio.CancelScope) -> None:
    # uvicorn's send() silently drops data once the client is gone; only receive() tells.
    while (await receive())["type"] != "http.disconnect":
        pass
    scope.cancel()
