"""The reference: a minimal FastAPI + asyncpg app running the services' SQL, nothing else.

No settings, sessions, problem documents, ETags, cursors or unit tree: the difference to
the service is what Terbuka's framework costs. Started by the bench as
`uvicorn tools.bench.reference:app` with BENCH_REGISTRY_DSN and BENCH_REQUESTS_DSN.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

COLUMNS = (
    "id, root_id, unit_id, number, title, summary, category, year, responsible_official, "
    "information_date, information_place, available_formats, retention_period, status, "
    "published_at, created_at, updated_at, holder_official, subcategory, media, tags, "
    "decree_reference, links, version"
)
LIST_SQL = (  # constants only: no input reaches these strings
    f"SELECT {COLUMNS} FROM dip_entries WHERE status = 'published' "  # noqa: S608
    "ORDER BY updated_at DESC, id DESC LIMIT $1"
)
SEARCH_SQL = (
    f"SELECT {COLUMNS}, ts_rank_cd(search, query) AS rank, "  # noqa: S608
    "ts_headline('indonesian', summary, query) AS snippet "
    "FROM dip_entries, websearch_to_tsquery('indonesian', $1) AS query "
    "WHERE status = 'published' AND search @@ query "
    "ORDER BY rank DESC, id DESC LIMIT $2"
)
YEAR = 2099  # the reference's rows (INSERT_SQL), apart from the generated and the service's
INSERT_SQL = (
    "INSERT INTO information_requests (id, root_id, target_unit_id, unit_id, year, seq, "
    "registration_number, channel, requester_category, information_requested, purpose, "
    "access_method, copy_format, delivery_method, state, received_at, receipt_date, "
    "notice_due, calendar_version, time_zone, tracking_secret_hash) "
    "VALUES ($1, $2, $3, $3, 2099, $4, $5, 'online', 'perorangan', $6, $7, 'obtain_copy', "
    "'softcopy', 'email', 'received', now(), current_date, current_date + 14, 0, "
    "'Asia/Jakarta', $8)"
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.registry = await asyncpg.create_pool(os.environ["BENCH_REGISTRY_DSN"], max_size=10)
    app.state.requests = await asyncpg.create_pool(os.environ["BENCH_REQUESTS_DSN"], max_size=10)
    # The previous run's rows go; numbers restart (one process: a counter is enough).
    await app.state.requests.execute("DELETE FROM information_requests WHERE year = $1", YEAR)
    app.state.numbers = itertools.count(1)
    try:
        yield
    finally:
        await app.state.registry.close()
        await app.state.requests.close()


app = FastAPI(lifespan=lifespan)


def _rows(records: list[asyncpg.Record]) -> list[dict[str, Any]]:
    return [
        {
            key: value if isinstance(value, int | float | list) or value is None else str(value)
            for key, value in record.items()
        }
        for record in records
    ]


@app.get("/readyz")
async def ready() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/dip")
async def dip(request: Request, limit: int = 50, q: str | None = None) -> JSONResponse:
    pool: asyncpg.Pool = request.app.state.registry
    if q is None:
        rows = await pool.fetch(LIST_SQL, limit)
    else:
        rows = await pool.fetch(SEARCH_SQL, q, limit)
    return JSONResponse({"items": _rows(rows)})


@app.post("/requests", status_code=201)
async def submit(request: Request) -> JSONResponse:
    body = await request.json()
    pool: asyncpg.Pool = request.app.state.requests
    made = uuid.uuid4()
    seq = next(request.app.state.numbers)
    await pool.execute(
        INSERT_SQL,
        made,
        uuid.UUID(body["root_id"]),
        uuid.UUID(body["target_unit_id"]),
        seq,
        f"REF/{made}",
        body["information_requested"],
        body["purpose"],
        made.hex + made.hex,
    )
    return JSONResponse({"id": str(made)}, status_code=201)
