"""requests: GET /v1/calendar/holidays, each root's working-day calendar (DOMAIN.md 14)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from requests_service.calendar import repository
from requests_service.calendar.models import CalendarDay, CalendarDayKind

from tests.services.support import REQUESTS, Json, all_pages, database_session, serve, tamper

ROOT_A = uuid.UUID("10000000-0000-4000-8000-000000000000")
ROOT_B = uuid.UUID("20000000-0000-4000-8000-000000000000")
SOURCE = "holidays==0.109"


def day(
    root: uuid.UUID,
    date: str,
    name: str,
    kind: CalendarDayKind,
    source: str = SOURCE,
    is_estimated: bool = False,
) -> CalendarDay:
    return CalendarDay(
        root_id=root,
        date=dt.date.fromisoformat(date),
        name=name,
        kind=kind,
        source=source,
        is_estimated=is_estimated,
    )


def calendar() -> list[CalendarDay]:
    """2025 and 2026 days of two roots; 2025-03-31 holds two kinds (the id breaks the tie)."""
    public, cuti = CalendarDayKind.PUBLIC_HOLIDAY, CalendarDayKind.CUTI_BERSAMA
    return [
        day(ROOT_A, "2025-01-01", "Tahun Baru Masehi", public),
        day(ROOT_A, "2025-01-28", "Cuti Bersama Tahun Baru Imlek", cuti),
        day(ROOT_A, "2025-03-31", "Hari Raya Idul Fitri", public),
        day(ROOT_A, "2025-03-31", "Penutupan layanan", CalendarDayKind.CLOSURE, source="admin"),
        day(ROOT_A, "2025-04-02", "Cuti Bersama Idul Fitri", cuti),
        day(ROOT_A, "2025-04-05", "Pelayanan Sabtu", CalendarDayKind.EXTRA_WORKING_DAY),
        day(ROOT_A, "2026-01-01", "Tahun Baru Masehi", public),
        day(ROOT_A, "2026-03-20", "Hari Raya Idul Fitri", public, is_estimated=True),
        day(ROOT_B, "2025-01-01", "Tahun Baru Masehi", public),
        day(ROOT_B, "2025-08-17", "Hari Kemerdekaan", public),
    ]


@pytest.fixture(scope="module")
def database_url(migrated_database: Callable[..., str]) -> str:
    return migrated_database("requests", suffix="_calendar")


@pytest.fixture(scope="module")
async def days(database_url: str) -> list[CalendarDay]:
    """The seeded days in the calendar's (date, id) order."""
    seeded = calendar()
    async with database_session(database_url) as session:
        for item in seeded:
            await repository.add_day(session, item)
    return sorted(seeded, key=lambda d: (d.date, d.id))


@pytest.fixture(scope="module")
async def client(database_url: str, days: list[CalendarDay]) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(REQUESTS.make_app(database_url)) as client:
        yield client


def flat(pages: list[list[Json]]) -> list[Json]:
    return [item for page in pages for item in page]


async def test_pages_cover_every_day_once_in_date_order(
    client: httpx.AsyncClient, days: list[CalendarDay]
) -> None:
    pages = await all_pages(client, "/v1/calendar/holidays", {"limit": 3})
    assert [len(page) for page in pages] == [3, 3, 3, 1]
    assert [item["id"] for item in flat(pages)] == [str(d.id) for d in days]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"root": str(ROOT_B)}, ["2025-01-01", "2025-08-17"]),
        ({"root": str(ROOT_A), "year": "2026"}, ["2026-01-01", "2026-03-20"]),
        ({"kind": "cuti_bersama"}, ["2025-01-28", "2025-04-02"]),
        ({"kind": "extra_working_day", "year": "2025"}, ["2025-04-05"]),
        ({"root": str(ROOT_A), "year": "2024"}, []),
    ],
)
async def test_filters(client: httpx.AsyncClient, params: Json, expected: list[str]) -> None:
    pages = await all_pages(client, "/v1/calendar/holidays", {**params, "limit": 1})
    assert [item["date"] for item in flat(pages)] == expected


async def test_day_fields(client: httpx.AsyncClient) -> None:
    params = {"root": str(ROOT_A), "year": "2026"}
    items = (await client.get("/v1/calendar/holidays", params=params)).json()["items"]
    estimated = items[-1]
    assert estimated["name"] == "Hari Raya Idul Fitri"
    assert (estimated["kind"], estimated["source"], estimated["is_estimated"]) == (
        "public_holiday",
        SOURCE,
        True,
    )


async def test_tampered_cursor_is_a_400_problem(client: httpx.AsyncClient) -> None:
    first = (await client.get("/v1/calendar/holidays", params={"limit": 2})).json()
    response = await client.get(
        "/v1/calendar/holidays", params={"limit": 2, "cursor": tamper(first["next_cursor"])}
    )
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/invalid-cursor"


async def test_list_etag_answers_304(client: httpx.AsyncClient) -> None:
    first = await client.get("/v1/calendar/holidays", params={"year": "2025"})
    assert first.headers["cache-control"] == "public, max-age=60"
    again = await client.get(
        "/v1/calendar/holidays",
        params={"year": "2025"},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304


async def test_unknown_kind_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/calendar/holidays", params={"kind": "weekend"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.kind"
