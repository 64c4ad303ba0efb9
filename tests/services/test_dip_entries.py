"""registry: GET /v1/dip/entries and /v1/dip/entries/{entry_id}, published entries only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from registry_service import repository
from registry_service.models import DipCategory, DipEntry, DipStatus, InfoFormat

from tests.services.support import REGISTRY, Json, all_pages, database_session, serve, tamper

ROOT_A = uuid.UUID("10000000-0000-4000-8000-000000000000")
ROOT_B = uuid.UUID("20000000-0000-4000-8000-000000000000")
UNIT_A1 = uuid.UUID("10000000-0000-4000-8000-0000000000a1")
UNIT_A2 = uuid.UUID("10000000-0000-4000-8000-0000000000a2")
UNIT_B1 = uuid.UUID("20000000-0000-4000-8000-0000000000b1")
T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
HIDDEN = (DipStatus.DRAFT, DipStatus.PROPOSED, DipStatus.WITHDRAWN, DipStatus.SUPERSEDED)


def entry(
    number: int, root: uuid.UUID, unit: uuid.UUID, category: DipCategory, **extra: object
) -> DipEntry:
    fields: Json = {
        "status": DipStatus.PUBLISHED,
        "year": 2024,
        "published_at": T0,
        "updated_at": T0 + timedelta(hours=number),
        **extra,
    }
    return DipEntry(
        root_id=root,
        unit_id=unit,
        number=f"DIP-{number:03d}",
        title=f"Informasi {number}",
        summary=f"Ringkasan informasi nomor {number}.",
        category=category,
        available_formats=[InfoFormat.SOFTCOPY],
        **fields,
    )


def register() -> list[DipEntry]:
    """Nine published entries (two share an updated_at: the id breaks the tie), four hidden."""
    published = [
        entry(n, ROOT_A, UNIT_A1 if n % 2 else UNIT_A2, DipCategory.BERKALA, year=2023 + n % 3)
        for n in range(1, 7)
    ]
    published += [
        entry(7, ROOT_B, UNIT_B1, DipCategory.SERTA_MERTA),
        entry(8, ROOT_B, UNIT_B1, DipCategory.SETIAP_SAAT, updated_at=T0 + timedelta(hours=7)),
        entry(9, ROOT_A, UNIT_A1, DipCategory.SETIAP_SAAT, updated_at=T0 + timedelta(hours=7)),
    ]
    hidden = [
        entry(10 + i, ROOT_A, UNIT_A1, DipCategory.BERKALA, status=status, published_at=None)
        for i, status in enumerate(HIDDEN)
    ]
    return published + hidden


@pytest.fixture(scope="module")
def database_url(migrated_database: Callable[..., str]) -> str:
    return migrated_database("registry", suffix="_entries")


@pytest.fixture(scope="module")
async def entries(database_url: str) -> list[DipEntry]:
    """All seeded entries; the published ones first, in the public order."""
    seeded = register()
    async with database_session(database_url) as session:
        for item in seeded:
            await repository.add_entry(session, item)
    published = [e for e in seeded if e.status == DipStatus.PUBLISHED]
    published.sort(key=lambda e: (e.updated_at, e.id), reverse=True)
    return published + [e for e in seeded if e.status != DipStatus.PUBLISHED]


@pytest.fixture(scope="module")
def published(entries: list[DipEntry]) -> list[DipEntry]:
    return [e for e in entries if e.status == DipStatus.PUBLISHED]


@pytest.fixture(scope="module")
async def client(database_url: str, entries: list[DipEntry]) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(REGISTRY.make_app(database_url)) as client:
        yield client


def numbers(pages: list[list[Json]]) -> list[str]:
    return [item["number"] for page in pages for item in page]


async def test_pages_cover_published_entries_once_newest_first(
    client: httpx.AsyncClient, published: list[DipEntry]
) -> None:
    pages = await all_pages(client, "/v1/dip/entries", {"limit": 4})
    assert [len(page) for page in pages] == [4, 4, 1]
    assert numbers(pages) == [e.number for e in published]
    assert {e.updated_at for e in published[1:3]} == {T0 + timedelta(hours=7)}  # the tie


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"root": str(ROOT_B)}, {"DIP-007", "DIP-008"}),
        ({"unit_id": str(UNIT_A2)}, {"DIP-002", "DIP-004", "DIP-006"}),
        ({"category": "setiap_saat"}, {"DIP-008", "DIP-009"}),
        ({"year": "2023"}, {"DIP-003", "DIP-006"}),
        ({"updated_after": "2025-03-01T08:00:00+00:00"}, {"DIP-007", "DIP-008", "DIP-009"}),
        ({"updated_after": "2025-03-01T15:00:00+07:00"}, {"DIP-007", "DIP-008", "DIP-009"}),
        ({"root": str(ROOT_A), "category": "berkala", "year": "2025"}, {"DIP-002", "DIP-005"}),
    ],
)
async def test_filters(client: httpx.AsyncClient, params: Json, expected: set[str]) -> None:
    pages = await all_pages(client, "/v1/dip/entries", {**params, "limit": 2})
    assert set(numbers(pages)) == expected
    assert len(numbers(pages)) == len(expected)


@pytest.mark.parametrize(
    "params",
    [{"category": "dikecualikan"}, {"updated_after": "2025-03-01T08:00:00"}, {"year": "99"}],
)
async def test_bad_filters_are_422(client: httpx.AsyncClient, params: Json) -> None:
    response = await client.get("/v1/dip/entries", params=params)
    assert response.status_code == 422
    assert response.json()["errors"]


async def test_tampered_cursor_is_a_400_problem(client: httpx.AsyncClient) -> None:
    first = (await client.get("/v1/dip/entries", params={"limit": 2})).json()
    response = await client.get(
        "/v1/dip/entries", params={"limit": 2, "cursor": tamper(first["next_cursor"])}
    )
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/invalid-cursor"


async def test_list_etag_answers_304(client: httpx.AsyncClient) -> None:
    first = await client.get("/v1/dip/entries")
    assert first.headers["cache-control"] == "public, max-age=60"
    etag = first.headers["etag"]
    again = await client.get("/v1/dip/entries", headers={"If-None-Match": f'W/"x", {etag}'})
    assert (again.status_code, again.content) == (304, b"")


async def test_get_published_entry(client: httpx.AsyncClient, published: list[DipEntry]) -> None:
    chosen = published[0]
    response = await client.get(f"/v1/dip/entries/{chosen.id}")
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["available_formats"]) == (chosen.number, ["softcopy"])
    assert "status" not in body  # always published here; internal states stay internal
    cached = await client.get(
        f"/v1/dip/entries/{chosen.id}", headers={"If-None-Match": response.headers["etag"]}
    )
    assert cached.status_code == 304


async def test_unpublished_entries_are_404(
    client: httpx.AsyncClient, entries: list[DipEntry]
) -> None:
    for hidden in (e for e in entries if e.status != DipStatus.PUBLISHED):
        response = await client.get(f"/v1/dip/entries/{hidden.id}")
        assert response.status_code == 404, hidden.status
        assert response.json()["type"] == "/problems/not-found"
