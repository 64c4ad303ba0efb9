"""Helpers of the entries tests: officials' headers, creating and moving entries, raw SQL."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx

from tests.registry.harness import DINKES_ID, Minter, official

Json = dict[str, Any]
_numbers = itertools.count(1)


def entry_body(unit_id: uuid.UUID = DINKES_ID, **fields: Any) -> Json:
    number = next(_numbers)
    return {
        "unit_id": str(unit_id),
        "number": f"T-{uuid.uuid4().hex[:8]}-{number}",
        "title": f"Informasi uji {number}",
        "summary": "Ringkasan informasi untuk pengujian.",
        "category": "berkala",
        "year": 2024,
        **fields,
    }


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], **fields: Any
) -> httpx.Response:
    response = await client.post("/v1/dip/entries", json=entry_body(**fields), headers=headers)
    assert response.status_code == 201, response.text
    return response


async def act(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    entry_id: str,
    action: str,
    body: Json | None = None,
    *,
    extra: dict[str, str] | None = None,
) -> httpx.Response:
    """`POST /v1/dip/entries/{id}/{action}`; `extra` headers (If-Match, Accept-Language)."""
    return await client.post(
        f"/v1/dip/entries/{entry_id}/{action}",
        json=body if body is not None else {},
        headers={**headers, **(extra or {})},
    )


async def published(client: httpx.AsyncClient, minter: Minter, **fields: Any) -> Json:
    """An entry the PPID Utama created and published (allowed from draft by any policy)."""
    utama = official(minter, "ppid.utama")
    made = (await create(client, utama, **fields)).json()
    response = await act(client, utama, made["id"], "publish")
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body
