"""Round trip, existence, deletion, listing, keys and presigned URLs on both backends."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from ppid_kit.storage import (
    InvalidKeyError,
    LocalStore,
    ObjectNotFoundError,
    ObjectStore,
    S3Store,
    StorageUnavailableError,
    generate_key,
)
from ppid_kit.storage.factory import make_store
from registry_service.settings import RegistrySettings

from tests.registry.storage.support import MiB
from tests.support.objects import all_keys, chunks_of, read_all
from tests.support.procs import Proc
from tests.support.s3 import s3_overrides


async def test_round_trip_keeps_bytes_size_and_sha256(store: ObjectStore) -> None:
    data = os.urandom(3 * MiB + 123)
    key = generate_key("dip/2026")
    stored = await store.put_stream(
        key, chunks_of(data), content_type="application/pdf", max_bytes=10 * MiB
    )
    assert stored.key == key
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.content_type == "application/pdf"
    assert await store.exists(key)
    assert await read_all(store, key) == data


async def test_empty_object(store: ObjectStore) -> None:
    key = generate_key("empty")
    stored = await store.put_stream(key, chunks_of(b""), content_type="text/plain", max_bytes=1)
    assert (stored.size, stored.sha256) == (0, hashlib.sha256(b"").hexdigest())
    assert await read_all(store, key) == b""


async def test_overwrite_replaces_the_object(store: ObjectStore) -> None:
    key = generate_key("x")
    await store.put_stream(key, chunks_of(b"first"), content_type="text/plain", max_bytes=99)
    await store.put_stream(key, chunks_of(b"second"), content_type="text/plain", max_bytes=99)
    assert await read_all(store, key) == b"second"


async def test_missing_object_fails_before_streaming(store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFoundError):
        await store.open_stream(generate_key("nope"))
    assert not await store.exists(generate_key("nope"))


async def test_delete_and_list_by_prefix(store: ObjectStore) -> None:
    dip = sorted(generate_key("dip/2026") for _ in range(3))
    scans = [generate_key("scans")]
    for key in [*dip, *scans]:
        await store.put_stream(key, chunks_of(b"x"), content_type="text/plain", max_bytes=9)

    assert sorted(await all_keys(store)) == sorted([*dip, *scans])
    assert sorted(await all_keys(store, "dip/")) == dip
    assert sorted(await all_keys(store, "dip/2026/")) == dip
    assert await all_keys(store, dip[0][:-30]) == [dip[0]]  # a prefix inside a segment
    assert await all_keys(store, "other/") == []

    await store.delete(dip[1])
    await store.delete(dip[1])  # deleting twice is fine
    assert not await store.exists(dip[1])
    assert sorted(await all_keys(store, "dip/")) == [dip[0], dip[2]]


def test_generated_keys_are_fresh_and_prefixed() -> None:
    keys = {generate_key("dip/2026") for _ in range(100)}
    assert len(keys) == 100
    assert all(k.startswith("dip/2026/") and len(k) == len("dip/2026/") + 32 for k in keys)
    assert len(generate_key("")) == 32
    with pytest.raises(InvalidKeyError):
        generate_key("../etc")


@pytest.mark.parametrize(
    "key",
    [
        "../outside",
        "a/../../outside",
        "/etc/passwd",
        "a//b",
        "./a",
        "a/./b",
        ".tmp/x",
        "",
        "a\\b",
        "a/b/",
        "laporan 2026.pdf",
        "a\x00b",
    ],
)
async def test_bad_keys_are_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(InvalidKeyError):
        await store.put_stream(key, chunks_of(b"x"), content_type="text/plain", max_bytes=9)
    with pytest.raises(InvalidKeyError):
        await store.open_stream(key)
    with pytest.raises(InvalidKeyError):
        await store.exists(key)
    with pytest.raises(InvalidKeyError):
        await store.delete(key)


async def test_local_store_stays_inside_its_root(tmp_path: Path) -> None:
    store = make_store(RegistrySettings(storage_dir=tmp_path / "objects"))
    assert isinstance(store, LocalStore)  # a file-system matter: the local backend only
    outside = store.root.parent / "secret"
    outside.mkdir()
    (outside / "f").write_bytes(b"secret")
    (store.root / "link").parent.mkdir(parents=True, exist_ok=True)
    (store.root / "link").symlink_to(outside)
    with pytest.raises(InvalidKeyError):
        await store.open_stream("link/f")
    with pytest.raises(InvalidKeyError):
        await store.put_stream("link/g", chunks_of(b"x"), content_type="text/plain", max_bytes=9)
    assert not (outside / "g").exists()


async def test_presigned_url(store: ObjectStore) -> None:
    key = generate_key("dip")
    data = b"%PDF-1.7 laporan"
    await store.put_stream(key, chunks_of(data), content_type="application/pdf", max_bytes=99)
    url = await store.presigned_url(
        key, filename="Laporan Tahunan 2026 \u2013 final.pdf", expires=timedelta(minutes=5)
    )
    if not isinstance(store, S3Store):
        assert url is None  # the local backend streams instead
        return
    assert url is not None
    # Signed for the public address (tests/support/s3.py), not the one the service uses.
    assert urlsplit(url).hostname == "localhost"
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
        assert response.status_code == 200
        assert response.content == data
        assert response.headers["content-type"] == "application/pdf"
        disposition = response.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="Laporan Tahunan 2026 _ final.pdf"')
        assert "filename*=UTF-8''Laporan%20Tahunan%202026%20%E2%80%93%20final.pdf" in disposition
        # The signature covers the header (moto does not check signatures; MinIO does).
        assert "response-content-disposition=" in url
        assert "X-Amz-Signature=" in url


async def test_no_presigned_url_without_a_public_endpoint(moto_server: Proc) -> None:
    """The store's address inside the cluster means nothing to a browser: without
    `s3_public_endpoint` the S3 store presigns nothing, and downloads are streamed."""
    store = make_store(RegistrySettings(**s3_overrides(moto_server, "terbuka-private")))
    assert isinstance(store, S3Store)
    await store.ensure_bucket()
    key = generate_key("dip")
    await store.put_stream(
        key, chunks_of(b"%PDF-1.7"), content_type="application/pdf", max_bytes=99
    )
    assert await store.presigned_url(key, filename="a.pdf", expires=timedelta(minutes=5)) is None
    assert await read_all(store, key) == b"%PDF-1.7"


class _Slammer:
    """A TCP listener that accepts each connection and closes it at once, counting them."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.mark.parametrize("retries", [0, 2])
async def test_a_failing_store_is_retried_as_configured_then_reported(retries: int) -> None:
    """minio's own client would retry 5 times with back-off (about 6 s) before an upload
    could answer 503; ours retries `S3_RETRIES` times."""
    slammer = _Slammer()
    try:
        settings = RegistrySettings(
            storage_backend="s3",
            s3_endpoint=f"http://127.0.0.1:{slammer.port}",
            s3_access_key="k",
            s3_secret_key="s",
            s3_retries=retries,
        )
        store = make_store(settings)
        with pytest.raises(StorageUnavailableError):  # the routes' 503
            await store.exists("dip/2026/x")
        assert slammer.accepted == retries + 1
    finally:
        slammer.close()
