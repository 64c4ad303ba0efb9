"""Helpers of the workflow tests: the actions, delivered files, and snapshots proving that a
refused action changed nothing. Requests come from `tests.requests.support.make_request`."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import httpx
import sqlalchemy as sa
from requests_service.core.models import RequestFile, RequestFileKind

from tests.requests.harness import ROOT_ID, Minter, official
from tests.requests.support import Json, Made
from tests.services.support import database_session


async def add_delivered_file(
    database_url: str, request_id: uuid.UUID, kind: RequestFileKind = RequestFileKind.DELIVERED
) -> uuid.UUID:
    """A file row of the request (the files package's upload is not needed)."""
    data = uuid.uuid4().bytes
    file = RequestFile(
        request_id=request_id,
        kind=kind,
        filename="laporan-realisasi.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=f"requests/test/{uuid.uuid4().hex}",
    )
    async with database_session(database_url) as session:
        session.add(file)
    return file.id


async def snapshot(database_url: str, request_id: uuid.UUID) -> Json:
    """Everything an action may change: the row, its history, notices, decrees, counters."""
    params = {"id": request_id}
    async with database_session(database_url) as session:

        async def all_rows(sql: str, bound: Json | None = None) -> list[tuple[Any, ...]]:
            found = await session.execute(sa.text(sql), params if bound is None else bound)
            return [tuple(r) for r in found.all()]

        row = (
            (
                await session.execute(
                    sa.text("SELECT * FROM information_requests WHERE id = :id"), params
                )
            )
            .mappings()
            .one()
        )
        return {
            "request": dict(row),
            "events": await all_rows(
                "SELECT version, action, to_state FROM request_events "
                "WHERE request_id = :id ORDER BY version"
            ),
            "identity": await all_rows(
                "SELECT identity_verified_at FROM requester_identities WHERE request_id = :id"
            ),
            "notices": await all_rows("SELECT * FROM request_notices WHERE request_id = :id"),
            "decrees": await all_rows("SELECT * FROM refusal_decrees WHERE request_id = :id"),
            "counters": await all_rows(
                "SELECT root_id, year, series, last FROM number_counters WHERE series = 'SK'", {}
            ),
            "audit": await all_rows(
                "SELECT count(*) FROM audit_log WHERE object_id = :id", {"id": str(request_id)}
            ),
        }


async def act(
    client: httpx.AsyncClient,
    made: Made,
    action: str,
    headers: dict[str, str],
    body: Json | None = None,
) -> httpx.Response:
    return await client.post(f"{made.path}/{action}", json=body, headers=headers)


async def ok(
    client: httpx.AsyncClient,
    made: Made,
    action: str,
    headers: dict[str, str],
    body: Json | None = None,
) -> Json:
    response = await act(client, made, action, headers, body)
    assert response.status_code == 200, response.text
    assert response.headers["etag"]
    view: Json = response.json()
    return view


def problem(response: httpx.Response, status: int, slug: str | None = None) -> Json:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: Json = response.json()
    if slug is not None:
        assert body["type"] == f"/problems/{slug}", body
    return body


async def refused(
    client: httpx.AsyncClient,
    database_url: str,
    made: Made,
    action: str,
    headers: dict[str, str],
    body: Json | None = None,
    *,
    status: int,
    slug: str | None = None,
) -> Json:
    """The `problem` an action answers with, having checked that it changed nothing."""
    before = await snapshot(database_url, made.id)
    found = problem(await act(client, made, action, headers, body), status, slug)
    assert await snapshot(database_url, made.id) == before
    return found


FEES: list[Json] = [
    {
        "code": "FC-A4",
        "description": "Fotokopi dokumen ukuran A4",
        "unit_price": 200,
        "unit": "lembar",
        "effective_from": "2020-01-01",
        "decree_no": "188.45/12/KEP/2019",
    },
    {
        "code": "CD",
        "description": "Salinan pada keping CD",
        "unit_price": 5000,
        "unit": "keping",
        "effective_from": "2020-01-01",
        "decree_no": "188.45/12/KEP/2019",
    },
]


async def put_fees(
    client: httpx.AsyncClient, minter: Minter, items: list[Json] | None = None
) -> httpx.Response:
    """Replace the demo root's schedule (with the current ETag when one exists)."""
    path = f"/v1/requests/fees/{ROOT_ID}"
    current = await client.get(path)
    headers = official(minter, "ppid.utama")
    if current.json()["version"]:
        headers["If-Match"] = current.headers["etag"]
    return await client.put(path, json={"items": FEES if items is None else items}, headers=headers)
