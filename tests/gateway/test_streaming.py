"""200 MB each way through the gateway while its memory stays flat."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import psutil
import pytest

from tests.gateway.conftest import MIB, Gateways, Keys, upstream_stats
from tests.gateway.upstream_app import BLOCK, expected_download_sha256
from tests.support.procs import Proc

SIZE = 200 * MIB
MAX_GROWTH = 60 * MIB


class PeakRss:
    """Samples a process's resident memory every few milliseconds in a thread."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.baseline = self.process.memory_info().rss
        self.peak = self.baseline
        self.samples = 0
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self.process.memory_info().rss)
            self.samples += 1

    def stop(self) -> None:
        self._stop.set()

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


@contextmanager
def sampling(pid: int) -> Iterator[PeakRss]:
    rss = PeakRss(pid)
    thread = threading.Thread(target=rss.run, daemon=True)
    thread.start()
    try:
        yield rss
    finally:
        rss.stop()
        thread.join()


def _warm_up(http: httpx.Client, gateway: Proc, headers: dict[str, str]) -> None:
    # First requests import lazily and fill pools; measure the steady state, not that.
    for _ in range(3):
        http.post(gateway.url + "/v1/dip/upload", content=b"x" * MIB, headers=headers)
        http.get(gateway.url + "/v1/dip/download", params={"size": MIB})


def _body(digest: hashlib._Hash) -> Iterator[bytes]:
    for _ in range(SIZE // len(BLOCK)):
        digest.update(BLOCK)
        yield BLOCK


def test_200_mb_upload_streams_through(http: httpx.Client, gateways: Gateways, keys: Keys) -> None:
    headers = {
        "Content-Type": "application/octet-stream",
        "Authorization": f"Bearer {keys.token()}",
    }
    _warm_up(http, gateways.main, headers)
    sent = hashlib.sha256()
    with sampling(gateways.main.pid) as rss:
        response = http.post(
            gateways.main.url + "/v1/dip/upload", content=_body(sent), headers=headers
        )
    assert response.status_code == 200, response.text
    assert response.json() == {"bytes": SIZE, "sha256": sent.hexdigest()}
    assert rss.samples > 10
    assert rss.growth < MAX_GROWTH, f"gateway grew {rss.growth / MIB:.1f} MiB"


def test_200_mb_download_streams_through(
    http: httpx.Client, gateways: Gateways, keys: Keys
) -> None:
    _warm_up(http, gateways.main, {"Authorization": f"Bearer {keys.token()}"})
    received, size = hashlib.sha256(), 0
    url = gateways.main.url + "/v1/dip/download"
    with sampling(gateways.main.pid) as rss, http.stream("GET", url, params={"size": SIZE}) as r:
        assert r.status_code == 200
        assert r.headers["content-length"] == str(SIZE)
        for chunk in r.iter_raw():
            received.update(chunk)
            size += len(chunk)
    assert size == SIZE
    assert received.hexdigest() == expected_download_sha256(SIZE)
    assert rss.samples > 10
    assert rss.growth < MAX_GROWTH, f"gateway grew {rss.growth / MIB:.1f} MiB"


def test_client_leaving_mid_download_closes_the_upstream_response(
    http: httpx.Client, gateways: Gateways, upstreams: dict[str, Proc]
) -> None:
    registry = upstreams["registry"]
    before = upstream_stats(http, registry).get("downloads_aborted", 0)
    url = gateways.main.url + "/v1/dip/download"
    with (
        httpx.Client(timeout=10) as leaving,
        leaving.stream("GET", url, params={"size": SIZE}) as r,
    ):
        next(r.iter_raw())  # some bytes arrived; now hang up
    deadline = time.monotonic() + 10
    while upstream_stats(http, registry).get("downloads_aborted", 0) == before:
        assert time.monotonic() < deadline, "the upstream kept streaming to nobody"
        time.sleep(0.05)


def test_upload_reaches_the_upstream_before_it_is_complete(
    http: httpx.Client, gateways: Gateways, upstreams: dict[str, Proc], keys: Keys
) -> None:
    registry = upstreams["registry"]
    before = upstream_stats(http, registry).get("uploads_aborted", 0)
    head = (
        f"POST /v1/dip/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {keys.token()}\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Length: {SIZE}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", gateways.main.port)) as sock:
        sock.sendall(head.encode() + BLOCK * 4)  # 4 MiB of the promised 200, then hang up
        time.sleep(0.3)
    deadline = time.monotonic() + 10
    while (stats := upstream_stats(http, registry)).get("uploads_aborted", 0) == before:
        assert time.monotonic() < deadline, "the upstream never saw the upload end"
        time.sleep(0.05)
    assert stats["aborted_upload_bytes"] > 0  # bytes flowed on before the body was complete


def _drain(http: httpx.Client, url: str) -> int:
    received = 0
    with http.stream("GET", url) as response:
        assert response.status_code == 200
        for chunk in response.iter_raw():
            received += len(chunk)
    return received


def test_upstream_crash_mid_response_truncates_the_download(
    http: httpx.Client, gateways: Gateways
) -> None:
    # The client must see a broken transfer, never a clean but short body.
    with pytest.raises(httpx.RemoteProtocolError, match=r"incomplete|without sending complete"):
        _drain(http, gateways.main.url + "/v1/dip/break")
