"""The rows of the table: each drives load from a separate process (`tools.bench.load`)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
from ppid_kit.cursor import CursorCodec
from ppid_kit.demo import demo_id
from ppid_kit.settings import DEV_CURSOR_SECRET

from tools.bench import data
from tools.bench.stack import Stack
from tools.services import ROOT

DURATION = float(os.environ.get("BENCH_DURATION", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
SEARCH = "puskesmas imunisasi"
PAGE = 50
DEEP_POSITION = 150_000
CATCH_UP_LIMIT = 60.0  # seconds the changes feed may take before the rate is taken


def settings_line() -> str:
    return (
        f"{data.ROOTS} roots, {data.UNITS} units, {data.DIP_ENTRIES} DIP entries, "
        f"{data.REQUESTS} requests; {DURATION:.0f} s per load row, {CONCURRENCY} concurrent "
        f"connections from a separate process on loopback; {os.cpu_count()} CPUs. "
        "Ratio = Terbuka / reference (throughput: higher is better; latency, time, memory: "
        "lower is better)."
    )


@dataclass
class Row:
    name: str
    ours: str
    reference: str
    ratio: str

    def markdown(self) -> str:
        return f"| {self.name} | {self.ours} | {self.reference} | {self.ratio} |"


def ratio(ours: float, reference: float) -> str:
    return f"{ours / reference:.2f}x" if reference else "n/a"


def _child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tools.bench.load", *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def load(url: str, **spec: Any) -> dict[str, Any]:
    """`concurrency` requests in flight for `duration` seconds, from another process."""
    full = {"url": url, "duration": DURATION, "concurrency": CONCURRENCY, **spec}
    print(f"bench: {spec.get('method', 'GET')} {url}", flush=True)
    return _child(json.dumps(full))


def load_rows(name: str, ours: dict[str, Any], ref: dict[str, Any], ref_name: str) -> list[Row]:
    def errors(result: dict[str, Any]) -> str:
        return f" ({result['errors']} errors)" if result["errors"] else ""

    return [
        Row(
            f"{name}: throughput vs {ref_name}",
            f"{ours['rps']:.0f} req/s{errors(ours)}",
            f"{ref['rps']:.0f} req/s{errors(ref)}",
            ratio(ours["rps"], ref["rps"]),
        ),
        Row(
            f"{name}: p50 latency vs {ref_name}",
            f"{ours['p50']:.1f} ms",
            f"{ref['p50']:.1f} ms",
            ratio(ours["p50"], ref["p50"]),
        ),
        Row(
            f"{name}: p99 latency vs {ref_name}",
            f"{ours['p99']:.1f} ms",
            f"{ref['p99']:.1f} ms",
            ratio(ours["p99"], ref["p99"]),
        ),
    ]


class PeakMemory:
    """Samples a process's resident memory (VmRSS) every 10 ms; `peak` in MiB."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self.before = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> float:
        try:
            with open(f"/proc/{self.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(0.01)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _with_memory(cmd: list[str], pid: int | None = None) -> tuple[dict[str, Any], str]:
    """Run `cmd`; the peak RSS of `pid` (the server, with its idle RSS before) or of the
    command's own process."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    with PeakMemory(pid or proc.pid) as memory:
        out, _ = proc.communicate()
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak"] = memory.peak
    shown = f"{memory.peak:.0f} MiB"
    if pid is not None:
        shown += f" (idle before: {memory.before:.0f} MiB)"
    return result, shown


def export_rows(stack: Stack) -> list[Row]:
    print("bench: CSV export vs COPY", flush=True)
    registry = stack.procs["registry"].pid
    fetch = [
        sys.executable,
        "-m",
        "tools.bench.load",
        "download",
        f"{stack.gateway}/v1/dip/export.csv",
    ]
    ours, ours_peak = _with_memory(fetch, registry)
    copy = [sys.executable, "-m", "tools.bench.load", "copy", data.libpq(stack.urls["registry"])]
    ref, ref_peak = _with_memory(copy)
    ours_rate = ours["bytes"] / ours["seconds"] / 2**20
    ref_rate = ref["bytes"] / ref["seconds"] / 2**20
    return [
        Row(
            "DIP CSV export (through the gateway) vs COPY … TO STDOUT: time",
            f"{ours['seconds']:.1f} s, {ours['bytes'] / 2**20:.0f} MiB ({ours_rate:.1f} MiB/s)",
            f"{ref['seconds']:.1f} s, {ref['bytes'] / 2**20:.0f} MiB ({ref_rate:.1f} MiB/s)",
            ratio(ours["seconds"], ref["seconds"]),
        ),
        Row(
            "DIP CSV export: peak memory (registry process vs COPY client process)",
            ours_peak,
            ref_peak,
            ratio(ours["peak"], ref["peak"]),
        ),
    ]


async def _deep_cursor(url: str) -> str:
    """The cursor of the page that starts at DEEP_POSITION (the row before it, signed)."""
    conn = await asyncpg.connect(data.libpq(url))
    try:
        row = await conn.fetchrow(
            "SELECT updated_at, id FROM dip_entries WHERE status = 'published' "
            "ORDER BY updated_at DESC, id DESC OFFSET $1 LIMIT 1",
            DEEP_POSITION - 1,
        )
    finally:
        await conn.close()
    if row is None:
        raise RuntimeError("fewer published entries than the deep position")
    codec = CursorCodec(os.environ.get("REGISTRY_CURSOR_SECRET", DEV_CURSOR_SECRET))
    return codec.encode({"updated_at": row["updated_at"], "id": row["id"]})


def deep_rows(stack: Stack) -> list[Row]:
    """Both pages measured back to back, so nothing else differs between them."""
    cursor = asyncio.run(_deep_cursor(stack.urls["registry"]))
    first = load(f"{stack.gateway}/v1/dip/entries?limit={PAGE}")
    deep = load(f"{stack.gateway}/v1/dip/entries?limit={PAGE}&cursor={cursor}")
    rows = load_rows(f"DIP page at position {DEEP_POSITION:,}", deep, first, "first page")
    return rows


def changes_rows(stack: Stack) -> list[Row]:
    print("bench: changes feed catch-up from cursor zero", flush=True)
    spec = {"url": f"{stack.gateway}/v1/dip/changes?limit=200", "limit": CATCH_UP_LIMIT}
    result = _child("changes", json.dumps(spec))
    rate = result["changes"] / result["seconds"]
    spec_ref = {"dsn": data.libpq(stack.urls["registry"]), "limit": CATCH_UP_LIMIT}
    ref = _child("changes-sql", json.dumps(spec_ref))
    ref_rate = ref["changes"] / ref["seconds"]
    done = "complete" if result["complete"] else f"first {CATCH_UP_LIMIT:.0f} s"
    return [
        Row(
            "Changes feed catch-up from cursor zero (pages of 200) vs the same keyset in SQL",
            f"{rate:,.0f} changes/s ({result['changes']:,} in {result['seconds']:.1f} s, {done})",
            f"{ref_rate:,.0f} changes/s ({ref['changes']:,} in {ref['seconds']:.1f} s)",
            ratio(rate, ref_rate),
        )
    ]


def submission_body() -> dict[str, Any]:
    # Invented person; the bench's own data, not a test's.
    return {
        "target_unit_id": str(demo_id("kota-contoh.dinkes")),
        "requester": {
            "category": "perorangan",
            "name": "Peserta Uji Beban",
            "nik": "3171010101900001",
            "address": "Jl. Uji Beban No. 1, Bandung",
            "phone": "+6281200000001",
            "email": "uji.beban@example.org",
            "occupation": "Peneliti",
        },
        "information_requested": "Daftar puskesmas dan jam layanannya tahun 2026",
        "purpose": "Penelitian",
        "access_method": "obtain_copy",
        "copy_format": "softcopy",
        "delivery_method": "email",
    }


def guarded(name: str, make: Callable[[], list[Row]]) -> list[Row]:
    """A measurement that broke becomes a row saying why: the bench never fails on one."""
    try:
        return make()
    except Exception as exc:  # reported in the table instead
        return [Row(name, f"failed: {type(exc).__name__}: {exc}"[:200], "", "")]


def all_rows(stack: Stack) -> list[Row]:
    rows: list[Row] = []
    list_url = f"/v1/dip/entries?limit={PAGE}"
    state: dict[str, dict[str, Any]] = {}

    def listing() -> list[Row]:
        state["list"] = load(stack.gateway + list_url)
        ref = load(f"{stack.reference}/dip?limit={PAGE}")
        return load_rows("DIP list page (gateway)", state["list"], ref, "FastAPI+asyncpg")

    def search() -> list[Row]:
        ours = load(f"{stack.gateway}{list_url}&q={SEARCH}")
        ref = load(f"{stack.reference}/dip?limit={PAGE}&q={SEARCH}")
        return load_rows("DIP search page (gateway)", ours, ref, "FastAPI+asyncpg")

    def nginx() -> list[Row]:
        if stack.nginx is None:
            return [Row("Gateway vs nginx proxying the registry", "", stack.nginx_problem, "")]
        ref = load(stack.nginx + list_url)
        return load_rows("DIP list page via the gateway", state["list"], ref, "nginx")

    def submit() -> list[Row]:
        body = submission_body()
        ours = load(f"{stack.gateway}/v1/requests", method="POST", json=body)
        # The reference has no unit tree to find the root in: it is given.
        with_root = {**body, "root_id": str(demo_id("kota-contoh"))}
        ref = load(f"{stack.reference}/requests", method="POST", json=with_root)
        return load_rows("Request submission", ours, ref, "one INSERT")

    rows += guarded("DIP list page", listing)
    rows += guarded("DIP search page", search)
    rows += guarded("Gateway vs nginx", nginx)
    rows += guarded("DIP CSV export", lambda: export_rows(stack))
    rows += guarded("Keyset flatness", lambda: deep_rows(stack))
    rows += guarded("Changes feed catch-up", lambda: changes_rows(stack))
    rows += guarded("Request submission", submit)
    return rows
