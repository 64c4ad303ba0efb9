"""`make bench`: generate the province, start the stack and its references, measure, print.

Every figure sits beside a reference measured in the same run on the same machine, with
their ratio (Terbuka / reference). It is a measurement, not a test: it never fails on a
number. The table goes to stdout and to bench/results/latest.md.

Environment: BENCH_DURATION (seconds per load row, 10), BENCH_CONCURRENCY (16),
PPID_DATABASE_URL (a server; else the local one on 5432, else a throwaway cluster).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from tools.bench import measure
from tools.bench.stack import bench_stack

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results" / "latest.md"

# Loopback ports apart from `make run` (8000…) so both can run at once.
PORTS = {
    "PPID_GATEWAY_PORT": "18000",
    "PPID_AUTH_PORT": "18001",
    "PPID_REGISTRY_PORT": "18002",
    "PPID_REQUESTS_PORT": "18003",
}


def configure() -> None:
    """Ports apart from `make run`'s, and no rate limit in the way of the load."""
    for key, value in PORTS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("GATEWAY_RATE_LIMIT_PER_MINUTE", "100000000")
    os.environ.setdefault("GATEWAY_CLIENT_RATE_LIMIT_PER_MINUTE", "100000000")


def render(rows: list[measure.Row], started: dt.datetime) -> str:
    lines = [
        f"# Terbuka benchmark ({started:%Y-%m-%d %H:%M} UTC)",
        "",
        f"{measure.settings_line()}",
        "",
        "| Measure | Terbuka | Reference | Ratio |",
        "| --- | --- | --- | --- |",
    ]
    lines += [row.markdown() for row in rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    configure()
    started = dt.datetime.now(dt.UTC)
    with bench_stack() as running:
        rows = measure.all_rows(running)
    table = render(rows, started)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table)
    print("\n" + table, flush=True)
    print(f"bench: written to {RESULTS}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
