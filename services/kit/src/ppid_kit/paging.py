"""Keyset-paginated lists and single resources, from the query to the HTTP response.

A service names its order once (`Keyset(Unit, "name", "id")`), lets `keyset_page`
fetch one page, and answers with `page_response` (a `Page` body, RFC 8288 `Link`,
ETag, `Cache-Control`, 304) or `item_response` (ETag, `Last-Modified`, 304).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Annotated, Any, Generic, TypeVar

import sqlalchemy as sa
from fastapi import Depends, Request, Response
from pydantic import BaseModel, TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from ppid_kit.cursor import CursorCodec, PageParams, next_link
from ppid_kit.etag import json_with_etag
from ppid_kit.problems import INVALID_CURSOR, ProblemError, problem_responses

R = TypeVar("R", bound=SQLModel)
T = TypeVar("T")
U = TypeVar("U")
M = TypeVar("M", bound=BaseModel)


def cursor_codec(request: Request) -> CursorCodec:
    """The app's cursor codec (`app.state.cursor`, made by `create_service_app`)."""
    codec: CursorCodec = request.app.state.cursor
    return codec


CursorDep = Annotated[CursorCodec, Depends(cursor_codec)]
PageDep = Annotated[PageParams, Depends()]


@dataclass(frozen=True)
class Paging:
    """One list request's `?limit=` and `?cursor=`, and the codec that signs cursors."""

    limit: int
    cursor: str | None
    codec: CursorCodec


def paging(params: PageDep, codec: CursorDep) -> Paging:
    return Paging(limit=params.limit, cursor=params.cursor, codec=codec)


PagingDep = Annotated[Paging, Depends(paging)]


class Keyset(Generic[R]):
    """A total order over a table by model fields, the last one unique (usually `id`).

    Ascending pages continue at `(a, b) > (x, y)`, descending ones at `<`; an index on
    the same columns serves both the condition and the order.
    """

    def __init__(self, model: type[R], *names: str, descending: bool = False) -> None:
        if not names:
            raise ValueError("a keyset needs at least one column")
        self.names = names
        self.descending = descending
        self._columns = [getattr(model, name) for name in names]
        # Cursor values come back as JSON strings; the fields' own types parse them.
        self._types = [
            TypeAdapter[Any](model.model_fields[name].rebuild_annotation()) for name in names
        ]

    def encode(self, codec: CursorCodec, row: R) -> str:
        """The cursor of the page that starts after `row`."""
        return codec.encode({name: getattr(row, name) for name in self.names})

    def decode(self, codec: CursorCodec, cursor: str) -> tuple[Any, ...]:
        """The position in `cursor`; 400 `invalid-cursor` unless it is one of this order's."""
        values = codec.decode(cursor)
        try:
            return tuple(
                parse.validate_python(values[name])
                for parse, name in zip(self._types, self.names, strict=True)
            )
        except (KeyError, ValueError) as exc:  # signed by us, but for another order or version
            raise ProblemError(INVALID_CURSOR) from exc

    def window(self, stmt: sa.Select[R], after: tuple[Any, ...] | None, limit: int) -> sa.Select[R]:
        """`stmt` in this order, strictly after `after`, at most `limit` rows."""
        if after is not None:
            here = sa.tuple_(*self._columns)
            pairs = zip(after, self._columns, strict=True)
            there = sa.tuple_(*(sa.literal(value, column.type) for value, column in pairs))
            stmt = stmt.where(here < there if self.descending else here > there)
        order = [column.desc() for column in self._columns] if self.descending else self._columns
        return stmt.order_by(*order).limit(limit)


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """The items of one page and the cursor of the next (None on the last page)."""

    items: list[T]
    next_cursor: str | None

    def map(self, convert: Callable[[T], U]) -> KeysetPage[U]:
        return KeysetPage([convert(item) for item in self.items], self.next_cursor)


async def keyset_page(
    session: AsyncSession, stmt: sa.Select[R], keyset: Keyset[R], paging: Paging
) -> KeysetPage[R]:
    """One page of `stmt` in `keyset` order; one row more than asked says a next page exists."""
    after = None if paging.cursor is None else keyset.decode(paging.codec, paging.cursor)
    rows = list(await session.scalars(keyset.window(stmt, after, paging.limit + 1)))
    shown = rows[: paging.limit]
    more = len(rows) > paging.limit
    return KeysetPage(shown, keyset.encode(paging.codec, shown[-1]) if more else None)


def page_response(request: Request, page: KeysetPage[M]) -> Response:
    """The page as a `Page` body with ETag, `Cache-Control` and, when there is more, `Link`."""
    content = {
        "items": [item.model_dump(mode="json") for item in page.items],
        "next_cursor": page.next_cursor,
    }
    headers = {"Link": next_link(request, page.next_cursor)} if page.next_cursor else None
    return json_with_etag(request, content, headers=headers)


def item_response(request: Request, item: BaseModel, updated_at: datetime) -> Response:
    """One resource with ETag, `Cache-Control` and `Last-Modified` (HTTP dates are in GMT)."""
    last_modified = format_datetime(updated_at.astimezone(UTC), usegmt=True)
    return json_with_etag(
        request, item.model_dump(mode="json"), headers={"Last-Modified": last_modified}
    )


_CACHE_HEADERS: dict[str, Any] = {
    "ETag": {
        "description": "Strong validator; send it back in `If-None-Match`.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"description": "`public, max-age=60`.", "schema": {"type": "string"}},
}
_LINK_HEADER: dict[str, Any] = {
    "description": 'RFC 8288 `<…>; rel="next"` when there is a next page.',
    "schema": {"type": "string"},
}
_NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the `If-None-Match` ETag still matches."}
}
# `responses=` of the routes that answer with `page_response` and `item_response`.
LIST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": {**_CACHE_HEADERS, "Link": _LINK_HEADER}},
    **_NOT_MODIFIED,
    **problem_responses(400),
}
ITEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": _CACHE_HEADERS},
    **_NOT_MODIFIED,
    **problem_responses(404),
}
