"""Local-folder backend: one file per key under a root directory."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from anyio import to_thread

from ppid_kit.storage.base import (
    CHUNK_SIZE,
    InvalidKeyError,
    ObjectNotFoundError,
    ObjectTooLargeError,
    StoredObject,
    batched,
    check_key,
    check_prefix,
)

_TMP_DIR = ".tmp"  # a leading dot: no key can name it


class LocalStore:
    """Writes go to a temporary file in the same file system, then an atomic rename."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        # Belt and braces with `check_key`: a symlink inside the root must not lead out of it.
        if not path.is_relative_to(self.root) or path == self.root:
            raise InvalidKeyError(key)
        return path

    def _open_temp(self) -> tuple[Path, BinaryIO]:
        tmp_dir = self.root / _TMP_DIR
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"{secrets.token_hex(16)}.part"
        return tmp, tmp.open("xb")

    @staticmethod
    def _write(out: BinaryIO, digest: hashlib._Hash, chunk: bytes) -> None:
        digest.update(chunk)
        out.write(chunk)

    @staticmethod
    def _commit(out: BinaryIO, tmp: Path, target: Path) -> None:
        out.flush()
        os.fsync(out.fileno())
        out.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.replace(target)

    @staticmethod
    def _discard(out: BinaryIO, tmp: Path) -> None:
        out.close()
        tmp.unlink(missing_ok=True)

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        *,
        content_type: str,
        max_bytes: int,
    ) -> StoredObject:
        target = await to_thread.run_sync(self._path, key)  # resolve() touches the disk
        tmp, out = await to_thread.run_sync(self._open_temp)
        digest = hashlib.sha256()
        size = 0
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise ObjectTooLargeError(max_bytes)
                await to_thread.run_sync(self._write, out, digest, chunk)
            await to_thread.run_sync(self._commit, out, tmp, target)
        except BaseException:
            await to_thread.run_sync(self._discard, out, tmp, abandon_on_cancel=False)
            raise
        return StoredObject(
            key=key, size=size, sha256=digest.hexdigest(), content_type=content_type
        )

    def _open_read(self, key: str) -> BinaryIO:
        path = self._path(key)
        try:
            return path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFoundError(key) from None

    async def open_stream(self, key: str) -> AsyncIterator[bytes]:
        handle = await to_thread.run_sync(self._open_read, key)
        return self._read_chunks(handle)

    @staticmethod
    async def _read_chunks(handle: BinaryIO) -> AsyncIterator[bytes]:
        try:
            while chunk := await to_thread.run_sync(handle.read, CHUNK_SIZE):
                yield chunk
        finally:
            await to_thread.run_sync(handle.close, abandon_on_cancel=False)

    async def presigned_url(self, key: str, *, filename: str, expires: timedelta) -> str | None:
        check_key(key)
        return None  # the service streams the file itself

    async def exists(self, key: str) -> bool:
        return await to_thread.run_sync(lambda: self._path(key).is_file())

    async def delete(self, key: str) -> None:
        await to_thread.run_sync(lambda: self._path(key).unlink(missing_ok=True))

    def _walk(self, prefix: str) -> Iterator[str]:
        # Start at the deepest directory the prefix names; filter the rest by string prefix.
        start = self.root / prefix.rpartition("/")[0] if "/" in prefix else self.root
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = Path(dirpath).relative_to(self.root).as_posix()
            for name in sorted(filenames):
                key = name if rel_dir == "." else f"{rel_dir}/{name}"
                if key.startswith(prefix) and not name.startswith("."):
                    yield key

    async def list_keys(self, prefix: str = "") -> AsyncIterator[str]:
        walker = batched(self._walk(check_prefix(prefix)))
        no_more: list[str] = []
        while batch := await to_thread.run_sync(next, walker, no_more):
            for key in batch:
                yield key
