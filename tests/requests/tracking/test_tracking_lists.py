"""The requester's list and the officials' list: scope by grants, every filter, keyset pages."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.requests.harness import (
    DINKES_ID,
    DISDIK_ID,
    ROOT_ID,
    AuthStack,
    Minter,
    official,
    requests_settings,
    serve_requests,
)
from tests.requests.people import BUDI, SITI, WAYAN, YOHANES
from tests.requests.support import form, requester, submit
from tests.services.support import execute, next_url, rows

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Seeded:
    """Five requests, newest received first: a5, a4, a2, a1, a3 (a3 arrived by letter)."""

    ids: dict[str, str]
    account: dict[str, str]
    letter_day: dt.date

    def names(self, items: list[dict[str, Any]]) -> list[str]:
        by_id = {value: key for key, value in self.ids.items()}
        return [by_id[item["id"]] for item in items]


@pytest.fixture(scope="module")
async def seeded(
    auth_stack: AuthStack,
    requests_database: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Seeded:
    minter = auth_stack.minter
    settings = requests_settings(auth_stack, requests_database, tmp_path_factory.mktemp("lists"))
    account = requester(minter)
    letter_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=5)
    async with serve_requests(settings) as client:
        ids = {}
        ids["a3"] = (
            await submit(
                client,
                form(
                    YOHANES,
                    target_unit_id=str(ROOT_ID),
                    channel="letter",
                    received_at=letter_at.isoformat(),
                ),
                official(minter, "petugas"),
            )
        )["id"]
        ids["a1"] = (await submit(client, form(SITI)))["id"]
        ids["a2"] = (await submit(client, form(BUDI, target_unit_id=str(DISDIK_ID)), account))["id"]
        ids["a4"] = (
            await submit(client, form(WAYAN, channel="phone"), official(minter, "ppid.dinkes"))
        )["id"]
        ids["a5"] = (await submit(client, form(SITI), account))["id"]
    today = dt.datetime.now(JAKARTA).date()
    await execute(
        requests_database,
        "UPDATE information_requests SET state = 'verified' WHERE id = :id",
        id=ids["a1"],
    )
    await execute(
        requests_database,
        "UPDATE information_requests SET notice_due = :due WHERE id = :id",
        id=ids["a4"],
        due=today - dt.timedelta(days=20),
    )
    await execute(
        requests_database,
        "UPDATE information_requests SET state = 'notice_sent', notice_outcome = 'granted_full', "
        "notice_sent_at = now() - interval '10 days', promised_delivery_date = :promised "
        "WHERE id = :id",
        id=ids["a5"],
        promised=today - dt.timedelta(days=3),
    )
    return Seeded(ids, account, letter_at.astimezone(JAKARTA).date())


async def listed(
    client: httpx.AsyncClient, headers: dict[str, str], url: str = "/v1/requests", **params: Any
) -> list[dict[str, Any]]:
    response = await client.get(url, headers=headers, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "private, no-cache"
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_each_official_sees_the_units_their_roles_cover(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    everything = ["a5", "a4", "a2", "a1", "a3"]
    for local, expected in (
        ("ppid.utama", everything),
        ("auditor", everything),
        ("atasan", everything),
        ("petugas", everything),
        ("ppid.dinkes", ["a5", "a4", "a1"]),
        ("ppid.disdik", ["a2"]),
    ):
        found = await listed(requests_client, official(minter, local))
        assert seeded.names(found) == expected, local
    item = (await listed(requests_client, official(minter, "ppid.dinkes")))[0]
    assert not {"name", "nik", "address", "phone", "email", "history"} & set(item)
    assert (await requests_client.get("/v1/requests")).status_code == 401
    refused = await requests_client.get("/v1/requests", headers=requester(minter))
    assert refused.status_code == 403
    outsider = minter.headers([("ppid_pelaksana", uuid.uuid4())])
    assert (await requests_client.get("/v1/requests", headers=outsider)).status_code == 403


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "verified"}, ["a1"]),
        ({"state": ["received", "verified"]}, ["a4", "a2", "a1", "a3"]),
        ({"overdue": "notice"}, ["a4"]),
        ({"overdue": "delivery"}, ["a5"]),
        ({"unit_id": str(DINKES_ID)}, ["a5", "a4", "a1"]),
        ({"unit_id": str(ROOT_ID)}, ["a5", "a4", "a2", "a1", "a3"]),
        ({"unit_id": str(uuid.uuid4())}, []),
        ({"root": str(ROOT_ID)}, ["a5", "a4", "a2", "a1", "a3"]),
        ({"root": str(uuid.uuid4())}, []),
        ({"channel": "letter"}, ["a3"]),
        ({"channel": "online"}, ["a5", "a2", "a1"]),
        ({"channel": "phone", "unit_id": str(DINKES_ID)}, ["a4"]),
        ({"nik": SITI.nik}, ["a5", "a1"]),
        ({"nik": "3578 0212 0385 0007"}, ["a2"]),
    ],
)
async def test_filters(
    requests_client: httpx.AsyncClient,
    minter: Minter,
    seeded: Seeded,
    params: dict[str, Any],
    expected: list[str],
) -> None:
    found = await listed(requests_client, official(minter, "ppid.utama"), **params)
    assert seeded.names(found) == expected


async def test_received_dates_are_local_dates(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    utama = official(minter, "ppid.utama")
    day = seeded.letter_day.isoformat()
    found = await listed(requests_client, utama, received_from=day, received_to=day)
    assert seeded.names(found) == ["a3"]
    after = (seeded.letter_day + dt.timedelta(days=1)).isoformat()
    assert seeded.names(await listed(requests_client, utama, received_from=after)) == [
        "a5",
        "a4",
        "a2",
        "a1",
    ]
    assert seeded.names(await listed(requests_client, utama, received_to=day)) == ["a3"]


async def test_the_nik_search_is_audited_without_the_nik(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded, requests_database: str
) -> None:
    del seeded
    await listed(requests_client, official(minter, "ppid.dinkes"), nik=SITI.nik)
    audit = await rows(
        requests_database,
        "SELECT actor_type, details::text AS details FROM audit_log "
        "WHERE action = 'request.search_by_identity' ORDER BY id DESC LIMIT 1",
    )
    assert audit[0].actor_type == "official:ppid_pelaksana"
    assert SITI.nik not in audit[0].details
    bad = await requests_client.get(
        "/v1/requests",
        params={"nik": "9973015708910003"},
        headers={**official(minter, "ppid.dinkes"), "Accept-Language": "en"},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "query.nik", "message": "The NIK's province code is unknown."}
    ]
    assert "9973015708910003" not in bad.text


async def test_pages_of_the_officials_list(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    utama = official(minter, "ppid.utama")
    url: str | None = "/v1/requests?limit=2"
    pages = []
    while url is not None:
        response = await requests_client.get(url, headers=utama)
        assert response.status_code == 200
        pages.append(seeded.names(response.json()["items"]))
        url = next_url(response)
        assert (url is None) == (response.json()["next_cursor"] is None)
    assert pages == [["a5", "a4"], ["a2", "a1"], ["a3"]]
    first = await requests_client.get("/v1/requests?limit=2", headers=utama)
    cached = await requests_client.get(
        "/v1/requests?limit=2", headers={**utama, "If-None-Match": first.headers["etag"]}
    )
    assert cached.status_code == 304
    bad = await requests_client.get("/v1/requests?cursor=garbage", headers=utama)
    assert bad.status_code == 400


async def test_my_requests(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    mine = await listed(requests_client, seeded.account, "/v1/requests/mine")
    assert seeded.names(mine) == ["a5", "a2"]
    assert mine[0]["deadlines"]["overdue_delivery"] is True
    first = await requests_client.get("/v1/requests/mine?limit=1", headers=seeded.account)
    assert seeded.names(first.json()["items"]) == ["a5"]
    second_url = next_url(first)
    assert second_url is not None
    second = await requests_client.get(second_url, headers=seeded.account)
    assert seeded.names(second.json()["items"]) == ["a2"]
    assert second.json()["next_cursor"] is None
    assert await listed(requests_client, requester(minter), "/v1/requests/mine") == []
    assert (await requests_client.get("/v1/requests/mine")).status_code == 401
    as_official = await requests_client.get(
        "/v1/requests/mine", headers=official(minter, "ppid.utama")
    )
    assert as_official.status_code == 403
