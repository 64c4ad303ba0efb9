"""ETags: 304 on If-None-Match, 428 without If-Match, 412 when stale."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, Request, Response
from ppid_kit.etag import etag_for, json_with_etag, not_modified, require_if_match
from ppid_kit.settings import ServiceSettings

from tests.kit.helpers import build_app, serving

DOCUMENT = {"id": "d1", "title": "Laporan Keuangan 2025"}
router = APIRouter()


@router.get("/v1/documents/d1")
async def get_document(request: Request) -> Response:
    return json_with_etag(request, DOCUMENT, headers={"Vary": "Accept-Language"})


@router.put("/v1/documents/d1")
async def put_document(request: Request) -> dict[str, str]:
    require_if_match(request, etag_for(b"version-1"))
    return {"status": "updated"}


@router.post("/v1/documents")
async def create_once(request: Request) -> Response:
    cached = not_modified(request, etag_for(b"exists"))
    return cached or Response(status_code=201)


def test_etag_is_strong_quoted_and_content_based() -> None:
    tag = etag_for("abc")
    assert tag.startswith('"')
    assert tag.endswith('"')
    assert tag == etag_for(b"abc")
    assert tag != etag_for("abd")


@pytest.fixture
async def current_etag(settings: ServiceSettings) -> str:
    async with serving(build_app(settings, [router])) as client:
        response = await client.get("/v1/documents/d1")
    assert response.status_code == 200
    assert response.json() == DOCUMENT
    assert response.headers["cache-control"] == "public, max-age=60"
    return response.headers["etag"]


@pytest.mark.parametrize(
    "header",
    [
        "{etag}",
        "W/{etag}",
        '"other", {etag}',
        '"a",W/{etag} , "b"',
        "*",
    ],
)
async def test_if_none_match_gives_304(
    settings: ServiceSettings, current_etag: str, header: str
) -> None:
    async with serving(build_app(settings, [router])) as client:
        response = await client.get(
            "/v1/documents/d1", headers={"If-None-Match": header.format(etag=current_etag)}
        )
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == current_etag
    assert response.headers["cache-control"] == "public, max-age=60"
    assert response.headers["vary"] == "Accept-Language"


async def test_if_none_match_other_tag_gives_200(
    settings: ServiceSettings, current_etag: str
) -> None:
    async with serving(build_app(settings, [router])) as client:
        response = await client.get("/v1/documents/d1", headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200
    assert response.json() == DOCUMENT


async def test_if_none_match_on_unsafe_method_is_412(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        matched = await client.post("/v1/documents", headers={"If-None-Match": "*"})
        free = await client.post("/v1/documents", headers={"If-None-Match": '"nope"'})
    assert matched.status_code == 412
    assert matched.json()["type"] == "/problems/precondition-failed"
    assert free.status_code == 201


@pytest.mark.parametrize(
    ("headers", "status", "problem"),
    [
        ({}, 428, "/problems/precondition-required"),
        ({"If-Match": '"stale"'}, 412, "/problems/precondition-failed"),
        ({"If-Match": "W/" + etag_for(b"version-1")}, 412, "/problems/precondition-failed"),
        ({"If-Match": etag_for(b"version-1")}, 200, None),
        ({"If-Match": '"x", ' + etag_for(b"version-1")}, 200, None),
        ({"If-Match": "*"}, 200, None),
    ],
)
async def test_if_match(
    settings: ServiceSettings, headers: dict[str, str], status: int, problem: str | None
) -> None:
    async with serving(build_app(settings, [router])) as client:
        response = await client.put("/v1/documents/d1", headers=headers)
    assert response.status_code == status
    if problem is not None:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == problem
    if status == 412:
        assert response.headers["etag"] == etag_for(b"version-1")
