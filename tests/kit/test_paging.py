"""Keyset pages against real PostgreSQL, and their HTTP responses (Link, ETag, 304)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from email.utils import format_datetime
from typing import Annotated

import httpx
import pytest
import sqlalchemy as sa
from fastapi import APIRouter, Path, Request, Response
from ppid_kit.cursor import CursorCodec
from ppid_kit.db import SessionDep, add_and_refresh, create_engine
from ppid_kit.models import Timestamps
from ppid_kit.paging import (
    ITEM_RESPONSES,
    LIST_RESPONSES,
    Keyset,
    Paging,
    PagingDep,
    item_response,
    keyset_page,
    page_response,
)
from ppid_kit.problems import INVALID_CURSOR, NOT_FOUND, ProblemError
from ppid_kit.settings import ServiceSettings
from pydantic import BaseModel, ConfigDict, SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import Field, SQLModel, col

from tests.kit.helpers import build_app, serving

SECRET = "paging-secret"
CODEC = CursorCodec(SECRET)


class Thing(Timestamps, table=True):
    __tablename__ = "kit_paging_things"

    id: uuid.UUID = Field(primary_key=True)
    name: str = Field(max_length=50)
    day: dt.date


class ThingPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    day: dt.date


BY_NAME = Keyset(Thing, "name", "id")
LATEST_DAY_FIRST = Keyset(Thing, "day", "id", descending=True)
ALL = sa.select(Thing)


def _thing(n: int, name: str, day: str) -> Thing:
    return Thing(id=uuid.UUID(int=n), name=name, day=dt.date.fromisoformat(day))


# Ties on name and on day, inserted out of id order, so the id has to break them.
SEEDED = [
    _thing(7, "Beta", "2025-01-03"),
    _thing(2, "Alpha", "2025-01-05"),
    _thing(5, "Beta", "2025-01-05"),
    _thing(1, "Gamma", "2025-01-01"),
    _thing(6, "Alpha", "2025-01-02"),
    _thing(3, "Beta", "2025-01-04"),
    _thing(4, "Delta", "2025-01-05"),
]


@pytest.fixture(scope="module")
def paging_url(fresh_database: Callable[[str], str]) -> str:
    return fresh_database("kit_paging")


@pytest.fixture(scope="module")
async def engine(paging_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(paging_url, pool_size=2)
    table = SQLModel.metadata.tables["kit_paging_things"]
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: table.create(sync))
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        for thing in SEEDED:
            await add_and_refresh(session, thing)
    yield engine
    await engine.dispose()


async def walk(
    engine: AsyncEngine, keyset: Keyset[Thing], limit: int, stmt: sa.Select[Thing] = ALL
) -> list[list[Thing]]:
    """Every page from the first to the last, following `next_cursor`."""
    pages: list[list[Thing]] = []
    cursor: str | None = None
    async with AsyncSession(engine) as session:
        while not pages or cursor is not None:
            paging = Paging(limit=limit, cursor=cursor, codec=CODEC)
            found = await keyset_page(session, stmt, keyset, paging)
            pages.append(found.items)
            cursor = found.next_cursor
    return pages


def ids(pages: list[list[Thing]]) -> list[int]:
    return [thing.id.int for page in pages for thing in page]


async def test_ascending_pages_cover_every_row_once(engine: AsyncEngine) -> None:
    pages = await walk(engine, BY_NAME, 3)
    assert [len(page) for page in pages] == [3, 3, 1]
    expected = sorted(SEEDED, key=lambda thing: (thing.name, thing.id))
    assert ids(pages) == [thing.id.int for thing in expected]


async def test_descending_pages_follow_the_order_backwards(engine: AsyncEngine) -> None:
    pages = await walk(engine, LATEST_DAY_FIRST, 2)
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    assert ids(pages) == [5, 4, 2, 3, 7, 6, 1]


async def test_a_full_last_page_has_no_next_cursor(engine: AsyncEngine) -> None:
    assert [len(page) for page in await walk(engine, BY_NAME, len(SEEDED))] == [len(SEEDED)]


async def test_conditions_of_the_statement_hold_on_every_page(engine: AsyncEngine) -> None:
    betas = sa.select(Thing).where(col(Thing.name) == "Beta")
    assert ids(await walk(engine, BY_NAME, 1, betas)) == [3, 5, 7]


@pytest.mark.parametrize(
    "cursor",
    [
        CODEC.encode({"day": "2025-01-05", "id": str(uuid.UUID(int=5))}),  # another order's
        CODEC.encode({"name": "Beta", "id": "not-a-uuid"}),
        CODEC.encode({"name": "x" * 51, "id": str(uuid.UUID(int=5))}),  # longer than the field
        CursorCodec("other-secret").encode({"name": "Beta", "id": str(uuid.UUID(int=5))}),
    ],
)
async def test_a_cursor_that_is_not_this_orders_is_invalid(
    engine: AsyncEngine, cursor: str
) -> None:
    async with AsyncSession(engine) as session:
        with pytest.raises(ProblemError) as caught:
            await keyset_page(session, ALL, BY_NAME, Paging(2, cursor, CODEC))
    assert caught.value.kind is INVALID_CURSOR


def test_a_keyset_needs_columns() -> None:
    with pytest.raises(ValueError, match="at least one column"):
        Keyset(Thing)


router = APIRouter(prefix="/v1/things")


@router.get("", responses=LIST_RESPONSES)
async def list_things(request: Request, session: SessionDep, paging: PagingDep) -> Response:
    found = await keyset_page(session, ALL, BY_NAME, paging)
    return page_response(request, found.map(ThingPublic.model_validate))


@router.get("/{thing_id}", responses=ITEM_RESPONSES)
async def get_thing(
    request: Request, session: SessionDep, thing_id: Annotated[uuid.UUID, Path()]
) -> Response:
    thing = await session.get(Thing, thing_id)
    if thing is None:
        raise ProblemError(NOT_FOUND)
    return item_response(request, ThingPublic.model_validate(thing), thing.updated_at)


@pytest.fixture(scope="module")
async def client(paging_url: str, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(database_url=paging_url, cursor_secret=SecretStr(SECRET))
    async with serving(build_app(settings, [router])) as client:
        yield client


async def test_page_response_links_the_next_page_and_answers_304(
    client: httpx.AsyncClient,
) -> None:
    first = await client.get("/v1/things", params={"limit": 2, "q": "kept"})
    body = first.json()
    assert body["items"] == [
        {"id": str(uuid.UUID(int=n)), "name": "Alpha", "day": day}
        for n, day in ((2, "2025-01-05"), (6, "2025-01-02"))
    ]
    assert first.headers["link"] == (
        f'</v1/things?limit=2&q=kept&cursor={body["next_cursor"]}>; rel="next"'
    )
    assert first.headers["cache-control"] == "public, max-age=60"
    again = await client.get(
        "/v1/things",
        params={"limit": 2, "q": "kept"},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert (again.status_code, again.headers["etag"]) == (304, first.headers["etag"])
    last = await client.get("/v1/things", params={"limit": 10})
    assert last.json()["next_cursor"] is None
    assert "link" not in last.headers


async def test_a_bad_cursor_is_a_400_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/things", params={"cursor": "garbage"})
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/invalid-cursor"


async def test_item_response_has_last_modified_and_answers_304(
    client: httpx.AsyncClient,
) -> None:
    stored = next(thing for thing in SEEDED if thing.id.int == 4)
    first = await client.get(f"/v1/things/{stored.id}")
    assert first.json() == {"id": str(stored.id), "name": "Delta", "day": "2025-01-05"}
    assert first.headers["last-modified"] == format_datetime(
        stored.updated_at.astimezone(dt.UTC), usegmt=True
    )
    cached = await client.get(
        f"/v1/things/{stored.id}", headers={"If-None-Match": first.headers["etag"]}
    )
    assert cached.status_code == 304


async def test_the_responses_are_documented(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    listed = paths["/v1/things"]["get"]["responses"]
    item = paths["/v1/things/{thing_id}"]["get"]["responses"]
    assert set(listed["200"]["headers"]) == {"ETag", "Cache-Control", "Link"}
    assert set(item["200"]["headers"]) == {"ETag", "Cache-Control"}
    assert {"304", "400"} <= set(listed)
    assert {"304", "404"} <= set(item)
    assert [p["name"] for p in paths["/v1/things"]["get"]["parameters"]] == ["limit", "cursor"]
