"""The load generator, run as its own process: `python -m tools.bench.load SPEC-JSON`.

Keeps `concurrency` requests in flight for `duration` seconds against one URL and prints
one JSON line: completed requests, errors, throughput and latency percentiles (ms).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
import uuid
from typing import Any

import asyncpg
import httpx

from tools.bench.reference import COLUMNS


async def _worker(
    client: httpx.AsyncClient, spec: dict[str, Any], until: float, out: list[float], bad: list[int]
) -> None:
    method, url = spec.get("method", "GET"), spec["url"]
    body = spec.get("json")
    while time.perf_counter() < until:
        headers = {"Idempotency-Key": str(uuid.uuid4())} if method == "POST" else {}
        start = time.perf_counter()
        try:
            response = await client.request(method, url, json=body, headers=headers)
            ok = response.status_code < 400
        except httpx.HTTPError:
            ok = False
        elapsed = time.perf_counter() - start
        if ok:
            out.append(elapsed)
        else:
            bad.append(1)


def percentile(values: list[float], fraction: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[min(98, max(0, round(fraction * 100) - 1))]


async def run(spec: dict[str, Any]) -> dict[str, float]:
    concurrency, duration = int(spec["concurrency"]), float(spec["duration"])
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    errors: list[int] = []
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        await client.request(spec.get("method", "GET"), spec["url"], json=spec.get("json"))
        start = time.perf_counter()
        until = start + duration
        await asyncio.gather(
            *(_worker(client, spec, until, latencies, errors) for _ in range(concurrency))
        )
        wall = time.perf_counter() - start
    return {
        "count": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / wall,
        "p50": percentile(latencies, 0.5) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
    }


async def copy_reference(dsn: str) -> dict[str, float]:
    """PostgreSQL's own `COPY … TO STDOUT` (CSV) of the export's columns, bytes counted."""
    size = 0

    async def sink(chunk: bytes) -> None:
        nonlocal size
        size += len(chunk)

    conn = await asyncpg.connect(dsn)
    try:
        start = time.perf_counter()
        await conn.copy_from_query(
            f"SELECT {COLUMNS} FROM dip_entries WHERE status = 'published' "  # noqa: S608
            "ORDER BY root_id, number",
            output=sink,
            format="csv",
            header=True,
        )
        return {"seconds": time.perf_counter() - start, "bytes": size}
    finally:
        await conn.close()


async def download(url: str) -> dict[str, float]:
    """One streamed GET, bytes counted and dropped."""
    size = 0
    async with httpx.AsyncClient(timeout=600) as client:
        start = time.perf_counter()
        async with client.stream("GET", url) as response:
            response.raise_for_status()
            async for chunk in response.aiter_raw():
                size += len(chunk)
        return {"seconds": time.perf_counter() - start, "bytes": size}


async def changes(spec: dict[str, Any]) -> dict[str, Any]:
    """Follow the changes feed from no cursor until an empty page or the time limit."""
    count, complete, url = 0, False, spec["url"]
    async with httpx.AsyncClient(timeout=60) as client:
        start = time.perf_counter()
        params: dict[str, str] = {}
        while time.perf_counter() - start < spec["limit"]:
            response = await client.get(url, params=params)
            response.raise_for_status()
            page = response.json()
            if not page["items"]:
                complete = True
                break
            count += len(page["items"])
            params = {"cursor": page["next_cursor"]}
        return {"changes": count, "seconds": time.perf_counter() - start, "complete": complete}


async def changes_sql(spec: dict[str, Any]) -> dict[str, Any]:
    """The same keyset walk straight in SQL (pages of 200 by `seq`)."""
    conn = await asyncpg.connect(spec["dsn"])
    count, after = 0, 0
    try:
        start = time.perf_counter()
        while time.perf_counter() - start < spec["limit"]:
            rows = await conn.fetch(
                "SELECT seq, entry_id, root_id, kind, entry, committed_at FROM dip_changes "
                "WHERE seq > $1 ORDER BY seq LIMIT 200",
                after,
            )
            if not rows:
                break
            count += len(rows)
            after = rows[-1]["seq"]
        return {"changes": count, "seconds": time.perf_counter() - start}
    finally:
        await conn.close()


def main() -> int:
    mode = sys.argv[1]
    result: dict[str, Any]
    if mode == "copy":
        result = asyncio.run(copy_reference(sys.argv[2]))
    elif mode == "download":
        result = asyncio.run(download(sys.argv[2]))
    elif mode == "changes":
        result = asyncio.run(changes(json.loads(sys.argv[2])))
    elif mode == "changes-sql":
        result = asyncio.run(changes_sql(json.loads(sys.argv[2])))
    else:
        result = asyncio.run(run(json.loads(mode)))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
