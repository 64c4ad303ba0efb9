"""Who reads `/v1/statistics/requests`: anyone the public view (cached, ETag/304), reader
officials of the root or unit the full one; 401/403/404/422."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.requests.harness import DINKES_ID, DISDIK_ID, ROOT_ID, AuthStack, official
from tests.requests.statistics.seed import seed
from tests.requests.support import requester

URL = "/v1/statistics/requests"
OFFICIAL = f"{URL}/official"


@pytest.fixture(scope="module")
async def seeded(requests_database: str) -> None:
    await seed(requests_database)


def _query(**params: object) -> dict[str, str]:
    return {"root": str(ROOT_ID), "year": "2025", **{k: str(v) for k, v in params.items()}}


async def test_public_view_is_cached_with_an_etag(
    seeded: None, requests_client: httpx.AsyncClient
) -> None:
    first = await requests_client.get(URL, params=_query())
    assert first.status_code == 200, first.text
    assert first.headers["Cache-Control"] == "public, max-age=300"
    etag = first.headers["ETag"]
    again = await requests_client.get(URL, params=_query(), headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = await requests_client.get(URL, params=_query(month=2), headers={"If-None-Match": etag})
    assert other.status_code == 200
    assert other.headers["ETag"] != etag


async def test_official_view_needs_a_reader_of_the_scope(
    seeded: None, requests_client: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    minter = auth_stack.minter
    anonymous = await requests_client.get(OFFICIAL, params=_query())
    assert anonymous.status_code == 401
    as_requester = await requests_client.get(OFFICIAL, params=_query(), headers=requester(minter))
    assert as_requester.status_code == 403
    # A unit's PPID reads its unit in full, not the whole root nor another unit.
    dinkes = official(minter, "ppid.dinkes")
    assert (await requests_client.get(OFFICIAL, params=_query(), headers=dinkes)).status_code == 403
    mine = await requests_client.get(OFFICIAL, params=_query(unit_id=DINKES_ID), headers=dinkes)
    assert mine.status_code == 200
    assert mine.headers["Cache-Control"] == "private, no-cache"
    theirs = await requests_client.get(OFFICIAL, params=_query(unit_id=DISDIK_ID), headers=dinkes)
    assert theirs.status_code == 403
    for local in ("ppid.utama", "atasan", "auditor", "petugas"):
        response = await requests_client.get(
            OFFICIAL, params=_query(), headers=official(minter, local)
        )
        assert response.status_code == 200, (local, response.text)
        assert response.json()["total"]["withdrawn"] == 1


async def test_unknown_root_or_unit_is_404(
    seeded: None, requests_client: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    unknown = await requests_client.get(URL, params=_query(root=uuid.uuid4()))
    assert unknown.status_code == 404
    not_a_root = await requests_client.get(URL, params=_query(root=DINKES_ID))
    assert not_a_root.status_code == 404
    stray = await requests_client.get(URL, params=_query(unit_id=uuid.uuid4()))
    assert stray.status_code == 404
    headers = official(auth_stack.minter, "ppid.utama")
    hidden = await requests_client.get(
        OFFICIAL, params=_query(unit_id=uuid.uuid4()), headers=headers
    )
    assert hidden.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"root": str(ROOT_ID)},  # no year
        {"root": str(ROOT_ID), "year": "2025", "semester": "1", "month": "2"},
        {"root": str(ROOT_ID), "year": "2025", "semester": "3"},
        {"root": str(ROOT_ID), "year": "2025", "month": "13"},
        {"root": "not-a-uuid", "year": "2025"},
        {"year": "2025"},
    ],
)
async def test_bad_queries_are_422(
    params: dict[str, str], seeded: None, requests_client: httpx.AsyncClient
) -> None:
    response = await requests_client.get(URL, params=params)
    assert response.status_code == 422, response.text
