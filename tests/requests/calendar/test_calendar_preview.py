"""`GET /v1/calendar/{root_id}/deadline`: what the clock gives before a submission."""

from __future__ import annotations

import uuid

import httpx

from tests.requests.calendar.support import BASE, EN, POLICY, field_messages, seed
from tests.requests.harness import DINKES_ID, ROOT_ID, Minter, official

DEADLINE = f"{BASE}/deadline"
# Mon 16 Mar 2026, 10:00 WIB (the rows "idul-fitri" of test_calendar_deadlines.py).
MONDAY = "2026-03-16T10:00:00+07:00"


async def preview(client: httpx.AsyncClient, **params: str) -> httpx.Response:
    return await client.get(DEADLINE, params=params)


async def test_bad_queries(requests_client: httpx.AsyncClient) -> None:
    naive = await preview(requests_client, received_at="2026-03-16T10:00:00")
    assert field_messages(naive) == {"query.received_at": "Waktu harus menyertakan zona waktu."}
    naive_en = await requests_client.get(
        DEADLINE, params={"received_at": "2026-03-16T10:00:00"}, headers=EN
    )
    assert field_messages(naive_en) == {
        "query.received_at": "The time must include a time zone offset."
    }
    assert set(field_messages(await preview(requests_client))) == {"query.received_at"}
    zero = await preview(requests_client, received_at=MONDAY, days="0")
    assert field_messages(zero) == {"query.days": "Harus paling sedikit 1."}
    ancient = await preview(requests_client, received_at="1900-01-01T10:00:00+07:00")
    assert field_messages(ancient) == {
        "query.received_at": "Waktu harus antara tahun 1946 dan 2100."
    }
    for root in (uuid.uuid4(), DINKES_ID):
        missing = await requests_client.get(
            f"/v1/calendar/{root}/deadline", params={"received_at": MONDAY}
        )
        assert missing.status_code == 404


async def test_preview_follows_the_calendar(
    requests_client: httpx.AsyncClient, minter: Minter
) -> None:
    # No holidays yet: ten plain working days, 17(1) … 27(9) 30(10).
    bare = await preview(requests_client, received_at=MONDAY)
    assert bare.status_code == 200, bare.text
    assert bare.json() == {
        "root_id": str(ROOT_ID),
        "time_zone": "Asia/Jakarta",
        "received_at": MONDAY,
        "working_days": 10,
        "receipt_date": "2026-03-16",
        "due_date": "2026-03-30",
        "due_at": "2026-03-31T00:00:00+07:00",
        "calendar_version": 0,
    }
    assert bare.headers["cache-control"] == "public, max-age=60"
    cached = await requests_client.get(
        DEADLINE, params={"received_at": MONDAY}, headers={"If-None-Match": bare.headers["etag"]}
    )
    assert cached.status_code == 304

    await seed(requests_client, official(minter, "admin"), 2026)
    d10 = (await preview(requests_client, received_at=MONDAY)).json()
    assert (d10["due_date"], d10["calendar_version"]) == ("2026-04-07", 1)
    d17 = (await preview(requests_client, received_at=MONDAY, days="17")).json()
    assert (d17["working_days"], d17["due_date"]) == (17, "2026-04-16")
    # The same instant given in UTC is the same receipt.
    utc = (await preview(requests_client, received_at="2026-03-16T03:00:00Z")).json()
    assert (utc["received_at"], utc["due_date"]) == (MONDAY, "2026-04-07")

    # Cuti bersama not a holiday, in WIT with hours to 15:00: 10:00 WIB is 12:00 WIT.
    current = await requests_client.get(POLICY)
    policy = {
        "time_zone": "Asia/Jayapura",
        "weekend_days": [6, 7],
        "count_cuti_bersama_as_holiday": False,
        "service_start": "07:00",
        "service_end": "15:00",
    }
    put = await requests_client.put(
        POLICY,
        json=policy,
        headers={**official(minter, "ppid.utama"), "If-Match": current.headers["etag"]},
    )
    assert put.status_code == 200, put.text
    wit = (await preview(requests_client, received_at=MONDAY)).json()
    assert wit == {
        **bare.json(),
        "time_zone": "Asia/Jayapura",
        "received_at": "2026-03-16T12:00:00+09:00",
        "due_date": "2026-03-31",  # as "idul-fitri-cuti-works"
        "due_at": "2026-04-01T00:00:00+09:00",
        "calendar_version": 2,
    }
    # 13:30 WIB is 15:30 WIT: after hours there, day 0 is Tue 17 (cuti works):
    # 18(1) 20(2) 23(3) 24(4) 25(5) 26(6) 27(7) 30(8) 31(9) 1Apr(10)
    late = (await preview(requests_client, received_at="2026-03-16T13:30:00+07:00")).json()
    assert (late["receipt_date"], late["due_date"]) == ("2026-03-17", "2026-04-01")
