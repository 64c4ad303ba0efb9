"""The object-store interface shared by the local-folder and the S3 backends."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable
from urllib.parse import quote

# Each segment starts with a letter or digit, so "." and ".." can never be one.
_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}"
_KEY_RE = re.compile(rf"^{_SEGMENT}(/{_SEGMENT}){{0,15}}$")

# Big enough to keep the per-chunk thread hop cheap, small enough to keep memory flat.
CHUNK_SIZE = 1024 * 1024
LIST_BATCH = 1000  # keys a backend's listing thread hands over at once


class StorageError(Exception):
    """Base of the errors the object stores raise."""


class StorageUnavailableError(StorageError, ConnectionError):
    """The object store cannot be reached; an OSError, so the kit answers 503."""


class InvalidKeyError(StorageError, ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"invalid object key: {key!r}")
        self.key = key


class ObjectNotFoundError(StorageError, LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(f"no such object: {key!r}")
        self.key = key


class ObjectTooLargeError(StorageError):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"object larger than {max_bytes} bytes")
        self.max_bytes = max_bytes


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    size: int
    sha256: str  # lowercase hex
    content_type: str


def check_key(key: str) -> str:
    """Return `key` when it is a well-formed relative key, raise `InvalidKeyError` otherwise."""
    if not _KEY_RE.fullmatch(key):
        raise InvalidKeyError(key)
    return key


def check_prefix(prefix: str) -> str:
    """A listing prefix: empty, or a key's beginning (may end with "/")."""
    if prefix and not _KEY_RE.fullmatch(prefix.rstrip("/") or "x"):
        raise InvalidKeyError(prefix)
    return prefix


def generate_key(prefix: str) -> str:
    """A new unguessable key under `prefix` ("dip/2026"); client filenames never become keys."""
    key = (
        f"{prefix.strip('/')}/{secrets.token_hex(16)}"
        if prefix.strip("/")
        else secrets.token_hex(16)
    )
    return check_key(key)


# The minute an object was created, as a key segment: objects carry no timestamp through
# the store interface, so the sweeper reads their age from their keys.
_STAMP_FORMAT = "%Y%m%dT%H%MZ"
_STAMP_RE = re.compile(r"^\d{8}T\d{4}Z$")
STAMP_RESOLUTION = timedelta(minutes=1)


def generate_dated_key(prefix: str, now: datetime | None = None) -> str:
    """A new unguessable key `<prefix>/<YYYYMMDDTHHMMZ>/<random>` stamped with `now` (UTC)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return generate_key(f"{prefix.strip('/')}/{moment.strftime(_STAMP_FORMAT)}")


def key_created_at(key: str) -> datetime | None:
    """The latest moment a dated key can have been made (its minute's end); None: undated."""
    parts = key.split("/")
    if len(parts) < 2 or not _STAMP_RE.fullmatch(parts[-2]):
        return None
    try:
        stamp = datetime.strptime(parts[-2], _STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
    return stamp + STAMP_RESOLUTION


def batched(keys: Iterable[str], size: int = LIST_BATCH) -> Iterator[list[str]]:
    """`keys` in lists of `size` (the last one shorter): a backend lists in a worker
    thread and hands a batch at a time to `list_keys`."""
    batch: list[str] = []
    for key in keys:
        batch.append(key)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266 header value: an ASCII fallback and the UTF-8 name (RFC 5987)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback or 'file'}\"; filename*=UTF-8''{quote(filename, safe='')}"


@runtime_checkable
class ObjectStore(Protocol):
    """Async object storage; every blocking call runs in a worker thread."""

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        *,
        content_type: str,
        max_bytes: int,
    ) -> StoredObject:
        """Store the chunks under `key` with flat memory.

        Raises `ObjectTooLargeError` past `max_bytes`, and then no object is left behind.
        """
        ...

    async def open_stream(self, key: str) -> AsyncIterator[bytes]:
        """Open the object, raising `ObjectNotFoundError` before any byte; return its chunks."""
        ...

    async def presigned_url(self, key: str, *, filename: str, expires: timedelta) -> str | None:
        """A short-lived GET URL with `Content-Disposition`; None when the backend has none."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; removing a missing one is not an error."""
        ...

    def list_keys(self, prefix: str = "") -> AsyncIterator[str]:
        """Keys starting with `prefix`, in batches fetched off the event loop."""
        ...
