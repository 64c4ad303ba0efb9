"""A streaming `multipart/form-data` reader (RFC 7578) over an ASGI request body.

Starlette's form parser spools files and needs `python-multipart`; uploads here go
straight from the socket to the object store instead, so memory stays flat with the
file's size: the reader holds at most one received chunk plus a delimiter's length.
"""

from __future__ import annotations

import email.message
from collections.abc import AsyncIterator
from dataclasses import dataclass

MAX_HEADER_BYTES = 16 * 1024
_MAX_BOUNDARY = 70  # RFC 2046


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


@dataclass(frozen=True, slots=True)
class Part:
    """One part's headers: its field name and, for a file, the client's filename."""

    name: str
    filename: str | None
    content_type: str | None


def boundary_of(content_type: str | None) -> bytes | None:
    """The boundary of a `multipart/form-data` Content-Type; None for any other type."""
    if not content_type:
        return None
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_type() != "multipart/form-data":
        return None
    boundary = message.get_param("boundary")
    if not isinstance(boundary, str) or not 1 <= len(boundary) <= _MAX_BOUNDARY:
        return None
    try:
        return boundary.encode("ascii")
    except UnicodeEncodeError:
        return None


def _parse_headers(block: bytes) -> Part:
    message = email.message.Message()
    for line in block.decode("utf-8", errors="replace").split("\r\n"):
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise MultipartError("malformed part header")
        message[name.strip()] = value.strip()
    if message.get_content_disposition() != "form-data":
        raise MultipartError("a part without Content-Disposition: form-data")
    field = message.get_param("name", header="content-disposition")
    if not isinstance(field, str) or not field:
        raise MultipartError("a part without a name")
    filename = message.get_filename()
    content_type = message.get("content-type")
    return Part(name=field, filename=filename, content_type=content_type)


class MultipartReader:
    """Parts in order: `await next_part()`, then `body()` (or skip it: the next call drains it)."""

    def __init__(self, chunks: AsyncIterator[bytes], boundary: bytes) -> None:
        self._chunks = chunks
        self._delimiter = b"\r\n--" + boundary
        # The first delimiter has no line break before it: pretend it has.
        self._buf = bytearray(b"\r\n")
        self._started = False
        self._in_body = False
        self._done = False

    async def _fill(self) -> bool:
        """Append the next non-empty chunk; False at the end of the body."""
        async for chunk in self._chunks:
            if chunk:
                self._buf += chunk
                return True
        return False

    async def _need(self, size: int) -> None:
        while len(self._buf) < size:
            if not await self._fill():
                raise MultipartError("the body ended inside the multipart structure")

    async def _skip_preamble(self) -> None:
        keep = len(self._delimiter) - 1
        while (at := self._buf.find(self._delimiter)) < 0:
            del self._buf[:-keep]
            if not await self._fill():
                raise MultipartError("no multipart boundary in the body")
        del self._buf[: at + len(self._delimiter)]

    async def next_part(self) -> Part | None:
        """The next part's headers, or None after the closing delimiter."""
        if self._in_body:
            async for _ in self.body():
                pass
        if self._done:
            return None
        if not self._started:
            self._started = True
            await self._skip_preamble()
        # After a delimiter: "--" closes the body, else (padding and) a line break.
        await self._need(2)
        if self._buf[:2] == b"--":
            self._done = True
            return None
        while True:
            stripped = self._buf.lstrip(b" \t")
            if stripped:
                break
            self._buf.clear()
            await self._need(1)
        self._buf[:] = stripped
        await self._need(2)
        if self._buf[:2] != b"\r\n":
            raise MultipartError("garbage after a boundary")
        while (end := self._buf.find(b"\r\n\r\n")) < 0:
            if len(self._buf) > MAX_HEADER_BYTES:
                raise MultipartError("part headers too long")
            await self._need(len(self._buf) + 1)
        if end > MAX_HEADER_BYTES:
            raise MultipartError("part headers too long")
        block = bytes(self._buf[2:end]) if end >= 2 else b""
        del self._buf[: end + 4]
        if not block:
            raise MultipartError("a part without headers")
        part = _parse_headers(block)
        self._in_body = True
        return part

    async def body(self) -> AsyncIterator[bytes]:
        """The current part's bytes in chunks, up to the next delimiter."""
        if not self._in_body:
            return
        keep = len(self._delimiter) - 1
        while True:
            at = self._buf.find(self._delimiter)
            if at >= 0:
                chunk = bytes(self._buf[:at])
                del self._buf[: at + len(self._delimiter)]
                self._in_body = False
                if chunk:
                    yield chunk
                return
            if len(self._buf) > keep:
                chunk = bytes(self._buf[:-keep])
                del self._buf[:-keep]
                yield chunk
            if not await self._fill():
                raise MultipartError("the body ended inside a part")

    async def read_value(self, limit: int) -> bytes:
        """The current part's whole body, refused past `limit` bytes (form fields)."""
        out = bytearray()
        async for chunk in self.body():
            out += chunk
            if len(out) > limit:
                raise MultipartError("form field too long")
        return bytes(out)
