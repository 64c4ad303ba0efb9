"""S3-protocol backend through the sync `minio` client, every call in a worker thread."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from typing import Any, TypeVar

import anyio
import urllib3
from anyio import from_thread, to_thread
from anyio.abc import ObjectReceiveStream
from minio import Minio
from minio.error import S3Error

from ppid_kit.storage.base import (
    CHUNK_SIZE,
    ObjectNotFoundError,
    ObjectTooLargeError,
    StorageUnavailableError,
    StoredObject,
    batched,
    check_key,
    check_prefix,
    content_disposition,
)

# S3's smallest part is 5 MiB; minio holds about three parts in memory while uploading one.
PART_SIZE = 8 * 1024 * 1024
_MISSING = frozenset({"NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound"})


class _ChunkReader:
    """A file-like `read(n)` for minio, fed from the event loop through a memory stream.

    Runs in minio's worker thread; hashes and counts there, and raises past `max_bytes`
    so that minio aborts the multipart upload.
    """

    def __init__(self, receive: ObjectReceiveStream[bytes], max_bytes: int) -> None:
        self._receive = receive
        self._max_bytes = max_bytes
        self._pending = memoryview(b"")
        self.aborted = False
        self.size = 0
        self.digest = hashlib.sha256()

    def _next_chunk(self) -> bool:
        try:
            chunk = from_thread.run(self._receive.receive)
        except anyio.EndOfStream:
            if self.aborted:
                raise _UploadAbortedError from None
            return False
        self.size += len(chunk)
        if self.size > self._max_bytes:
            raise ObjectTooLargeError(self._max_bytes)
        self.digest.update(chunk)
        self._pending = memoryview(chunk)
        return True

    def read(self, size: int = -1) -> bytes:
        # Return whole requests at once: minio concatenates what read() returns.
        out = bytearray()
        while (size < 0 or len(out) < size) and (self._pending or self._next_chunk()):
            take = len(self._pending) if size < 0 else min(size - len(out), len(self._pending))
            out += self._pending[:take]
            self._pending = self._pending[take:]
        return bytes(out)


class _UploadAbortedError(Exception):
    """The source of the chunks failed: minio must abort, not complete, the upload."""


T = TypeVar("T")


async def _run(func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` in a worker thread; an unreachable S3 server is `StorageUnavailableError`."""
    try:
        return await to_thread.run_sync(func, *args)
    except urllib3.exceptions.HTTPError as exc:  # refused, reset, timed out after retries
        raise StorageUnavailableError(str(exc)) from exc


def _first_cause(group: BaseExceptionGroup[BaseException]) -> BaseException:
    causes = [e for e in group.exceptions if not isinstance(e, _UploadAbortedError)]
    cause = causes[0] if causes else group.exceptions[0]
    return _first_cause(cause) if isinstance(cause, BaseExceptionGroup) else cause


def _is_missing(exc: S3Error) -> bool:
    return exc.code in _MISSING


class S3Store:
    """`presigner`: a client of the store's public address, or None when downloads are
    streamed by the service (no presigned URLs)."""

    def __init__(self, client: Minio, bucket: str, *, presigner: Minio | None = None) -> None:
        self.client = client
        self.bucket = bucket
        self.presigner = presigner

    async def ensure_bucket(self) -> None:
        """Create the bucket when it does not exist (development and tests)."""

        def ensure() -> None:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)

        await _run(ensure)

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        *,
        content_type: str,
        max_bytes: int,
    ) -> StoredObject:
        check_key(key)
        send, receive = anyio.create_memory_object_stream[bytes](4)
        reader = _ChunkReader(receive, max_bytes)

        def upload() -> None:
            self.client.put_object(
                self.bucket,
                key,
                reader,  # type: ignore[arg-type]  # minio only calls read()
                length=-1,
                part_size=PART_SIZE,
                content_type=content_type,
                num_parallel_uploads=1,  # parallel parts would multiply the memory
            )

        async def feed() -> None:
            async with send:
                try:
                    async for chunk in chunks:
                        await send.send(chunk)
                except BaseException:
                    reader.aborted = True  # before `send` closes: no truncated object
                    raise

        try:
            async with receive, anyio.create_task_group() as tg:
                tg.start_soon(_run, upload)
                await feed()
        except BaseExceptionGroup as group:
            # One cause is the interesting one; report it as itself, not as a group.
            raise _first_cause(group) from None
        return StoredObject(
            key=key, size=reader.size, sha256=reader.digest.hexdigest(), content_type=content_type
        )

    def _get(self, key: str) -> Any:
        try:
            return self.client.get_object(self.bucket, key)
        except S3Error as exc:
            if _is_missing(exc):
                raise ObjectNotFoundError(key) from None
            raise

    async def open_stream(self, key: str) -> AsyncIterator[bytes]:
        response = await _run(self._get, check_key(key))
        return self._read_chunks(response)

    @staticmethod
    async def _read_chunks(response: Any) -> AsyncIterator[bytes]:
        def close() -> None:
            response.close()
            response.release_conn()

        try:
            while chunk := await _run(response.read, CHUNK_SIZE):
                yield bytes(chunk)
        finally:
            await _run(close)

    async def presigned_url(self, key: str, *, filename: str, expires: timedelta) -> str | None:
        check_key(key)
        presigner = self.presigner
        if presigner is None:
            return None
        headers: dict[str, str | list[str] | tuple[str]] = {
            "response-content-disposition": content_disposition(filename)
        }
        # Without a configured region minio asks the server for it: network, so a thread.
        url: str = await _run(
            lambda: presigner.presigned_get_object(
                self.bucket, key, expires=expires, response_headers=headers
            )
        )
        return url

    async def exists(self, key: str) -> bool:
        check_key(key)

        def stat() -> bool:
            try:
                self.client.stat_object(self.bucket, key)
            except S3Error as exc:
                if _is_missing(exc):
                    return False
                raise
            return True

        return await _run(stat)

    async def delete(self, key: str) -> None:
        check_key(key)
        await _run(self.client.remove_object, self.bucket, key)

    def _names(self, prefix: str) -> Iterator[str]:
        for obj in self.client.list_objects(self.bucket, prefix=prefix or None, recursive=True):
            if obj.object_name is not None:
                yield obj.object_name

    async def list_keys(self, prefix: str = "") -> AsyncIterator[str]:
        batches = batched(self._names(check_prefix(prefix)))
        no_more: list[str] = []
        while batch := await _run(next, batches, no_more):
            for key in batch:
                yield key
