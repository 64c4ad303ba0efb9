"""Opaque signed cursors, page parameters and the Link header."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

import pytest
from fastapi import APIRouter, Depends, Request, Response
from ppid_kit.cursor import CursorCodec, Page, PageParams, next_link
from ppid_kit.problems import INVALID_CURSOR, ProblemError
from ppid_kit.settings import ServiceSettings

from tests.kit.helpers import build_app, serving

router = APIRouter()


@router.get("/v1/items")
async def list_items(
    request: Request, response: Response, page: Annotated[PageParams, Depends()]
) -> Page[int]:
    codec: CursorCodec = request.app.state.cursor
    start = int(codec.decode(page.cursor)["after"]) if page.cursor else 0
    items = list(range(start + 1, start + 1 + page.limit))
    cursor = codec.encode({"after": items[-1]})
    response.headers["Link"] = next_link(request, cursor)
    return Page(items=items, next_cursor=cursor)


def test_round_trip_keeps_values() -> None:
    codec = CursorCodec("s3cret")
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    uid = UUID("12345678-1234-5678-1234-567812345678")
    token = codec.encode({"published_at": when, "id": uid, "n": 7, "done": False})
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert "published_at" not in token  # opaque, not readable at a glance
    assert codec.decode(token) == {
        "published_at": "2026-01-02T03:04:05+00:00",
        "id": str(uid),
        "n": 7,
        "done": False,
    }


def _flip(token: str, index: int) -> str:
    char = "A" if token[index] != "A" else "B"
    return token[:index] + char + token[index + 1 :]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: _flip(t, 2),  # payload changed
        lambda t: _flip(t, len(t) - 3),  # tag changed
        lambda t: t[:-4],  # truncated
        lambda t: "not a cursor!",
        lambda t: "",
        lambda t: "A" * 3000,
        lambda t: base64.urlsafe_b64encode(b'{"after":999}').decode().rstrip("="),
    ],
)
def test_tampering_is_rejected(mangle: object) -> None:
    codec = CursorCodec("s3cret")
    token = codec.encode({"after": 10})
    with pytest.raises(ProblemError) as caught:
        codec.decode(mangle(token))  # type: ignore[operator]
    assert caught.value.kind is INVALID_CURSOR


def test_other_secret_is_rejected() -> None:
    token = CursorCodec("one").encode({"after": 1})
    with pytest.raises(ProblemError):
        CursorCodec("two").decode(token)


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        CursorCodec("")


async def test_pages_through_the_app(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        first = await client.get("/v1/items?limit=3&q=x")
        cursor = first.json()["next_cursor"]
        second = await client.get("/v1/items", params={"limit": 3, "cursor": cursor})
        tampered = await client.get("/v1/items", params={"cursor": _flip(cursor, 1)})
        too_big = await client.get("/v1/items?limit=201")
        default = await client.get("/v1/items")
    assert first.json()["items"] == [1, 2, 3]
    assert first.headers["link"] == f'</v1/items?limit=3&q=x&cursor={cursor}>; rel="next"'
    assert second.json()["items"] == [4, 5, 6]
    assert tampered.status_code == 400
    assert tampered.headers["content-type"] == "application/problem+json"
    assert tampered.json()["type"] == "/problems/invalid-cursor"
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["field"] == "query.limit"
    assert len(default.json()["items"]) == 50
