"""The streaming multipart/form-data reader, whatever the chunking of the body."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from ppid_kit.multipart import (
    MultipartError,
    MultipartReader,
    Part,
    boundary_of,
)

BOUNDARY = b"XyZ-boundary"
# The file holds almost-delimiters: only the whole "\r\n--XyZ-boundary" ends a part.
FILE = b"%PDF-1.7\r\n--XyZ-boundar\r\n-XyZ-boundary" + os.urandom(5000) + b"\r\n--XyZ"


def body(*, preamble: bytes = b"", padding: bytes = b"") -> bytes:
    return (
        preamble + b"--XyZ-boundary" + padding + b"\r\n"
        b'Content-Disposition: form-data; name="title"\r\n\r\n'
        b"Judul \xc3\xa9\r\n"
        b"--XyZ-boundary\r\n"
        b'Content-Disposition: form-data; name="file"; filename="C:\\\\tmp\\\\a \\"b\\".pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + FILE + b"\r\n"
        b"--XyZ-boundary\r\n"
        b'Content-Disposition: form-data; name="empty"\r\n\r\n'
        b"\r\n--XyZ-boundary--\r\nepilogue"
    )


async def in_chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]
    yield b""  # Starlette ends the stream with an empty chunk


async def read_parts(data: bytes, size: int) -> list[tuple[Part, bytes]]:
    reader = MultipartReader(in_chunks(data, size), BOUNDARY)
    parts = []
    while (part := await reader.next_part()) is not None:
        content = b"".join([chunk async for chunk in reader.body()])
        parts.append((part, content))
    return parts


@pytest.mark.parametrize("size", [1, 2, 3, 7, 16, 64, 1000, 1 << 20])
async def test_parts_whatever_the_chunking(size: int) -> None:
    parts = await read_parts(body(preamble=b"ignored\r\n", padding=b" \t"), size)

    assert [(p.name, p.filename) for p, _ in parts] == [
        ("title", None),
        ("file", 'C:\\tmp\\a "b".pdf'),
        ("empty", None),
    ]
    assert parts[0][1] == "Judul é".encode()
    assert parts[1][0].content_type == "application/pdf"
    assert parts[1][1] == FILE
    assert parts[2][1] == b""


async def test_unread_parts_are_skipped() -> None:
    reader = MultipartReader(in_chunks(body(), 100), BOUNDARY)
    names = []
    while (part := await reader.next_part()) is not None:
        names.append(part.name)
    assert names == ["title", "file", "empty"]


@pytest.mark.parametrize(
    "broken",
    [
        body()[:-30],  # ends inside the last part
        body()[:200],  # ends inside the file
        b"no boundary at all",
        b"--XyZ-boundary\r\nContent-Disposition: attachment\r\n\r\nx\r\n--XyZ-boundary--",
        b"--XyZ-boundary\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ-boundary--",
        b"--XyZ-boundaryjunk\r\n",
        b"--XyZ-boundary\r\n" + b"X-Long: " + b"a" * 20000 + b"\r\n\r\n",
    ],
)
async def test_malformed_bodies_raise(broken: bytes) -> None:
    with pytest.raises(MultipartError):
        await read_parts(broken, 64)


async def test_field_values_are_bounded() -> None:
    reader = MultipartReader(in_chunks(body(), 64), BOUNDARY)
    assert await reader.next_part() is not None
    assert await reader.read_value(100) == "Judul é".encode()
    assert await reader.next_part() is not None
    with pytest.raises(MultipartError):
        await reader.read_value(100)


def test_boundary_of_the_content_type() -> None:
    assert boundary_of('multipart/form-data; boundary="a b"') == b"a b"
    assert boundary_of("multipart/form-data; boundary=abc") == b"abc"
    assert boundary_of("multipart/mixed; boundary=abc") is None
    assert boundary_of("multipart/form-data") is None
    assert boundary_of("multipart/form-data; boundary=" + "x" * 71) is None
    assert boundary_of("application/pdf") is None
    assert boundary_of(None) is None
