"""The annual report's narrative (PUT by the unit's PPID, If-Match, audited) and who reads
the report in which view; ETag/304; 404/422 on the scope."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.requests.harness import DINKES_ID, DISDIK_ID, ROOT_ID, AuthStack, official
from tests.requests.support import pdf_text, requester
from tests.services.support import database_session

URL = "/v1/statistics/annual-report"
NARRATIVE = f"{URL}/narrative"
YEAR = "2025"
TEXTS = {
    "policy": "Pelayanan informasi publik diatur dengan Peraturan Wali Kota Nomor 5 Tahun 2024.",
    "operation": "Layanan dibuka di meja informasi Dinas Kesehatan dan secara daring.",
    "obstacles_internal": "Jumlah petugas terbatas.",
    "obstacles_external": "Jaringan internet di puskesmas belum stabil.",
    "recommendations": "Menambah petugas layanan informasi.",
    "follow_up_plan": "Pelatihan petugas pada triwulan pertama 2026.",
}


def _where(unit: uuid.UUID) -> dict[str, str]:
    return {"unit_id": str(unit), "year": YEAR}


async def test_narrative_is_written_by_the_units_ppid_with_if_match(
    requests_client: httpx.AsyncClient, auth_stack: AuthStack, requests_database: str
) -> None:
    minter = auth_stack.minter
    dinkes = official(minter, "ppid.dinkes")
    empty = await requests_client.get(NARRATIVE, params=_where(DINKES_ID))
    assert empty.status_code == 200
    assert empty.json()["version"] == 0
    assert empty.json()["policy"] is None
    refused: list[tuple[dict[str, str], int]] = [
        ({}, 401),
        (requester(minter), 403),
        (official(minter, "ppid.disdik"), 403),  # another unit's PPID
        (official(minter, "petugas"), 403),  # a handler, not a decider
        (official(minter, "atasan"), 403),
        (official(minter, "auditor"), 403),
    ]
    for headers, status in refused:
        response = await requests_client.put(
            NARRATIVE, params=_where(DINKES_ID), json=TEXTS, headers=headers
        )
        assert response.status_code == status, (headers, response.text)
    first = await requests_client.put(
        NARRATIVE, params=_where(DINKES_ID), json=TEXTS, headers=dinkes
    )
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1
    etag = first.headers["ETag"]
    again = {**TEXTS, "follow_up_plan": None}
    missing = await requests_client.put(
        NARRATIVE, params=_where(DINKES_ID), json=again, headers=dinkes
    )
    assert missing.status_code == 428
    stale = await requests_client.put(
        NARRATIVE,
        params=_where(DINKES_ID),
        json=again,
        headers={**dinkes, "If-Match": empty.headers["ETag"]},
    )
    assert stale.status_code == 412
    # The PPID Utama at the root covers every unit.
    second = await requests_client.put(
        NARRATIVE,
        params=_where(DINKES_ID),
        json=again,
        headers={**official(minter, "ppid.utama"), "If-Match": etag},
    )
    assert second.status_code == 200, second.text
    assert second.json()["version"] == 2
    assert second.json()["follow_up_plan"] is None
    read = await requests_client.get(
        NARRATIVE, params=_where(DINKES_ID), headers={"If-None-Match": second.headers["ETag"]}
    )
    assert read.status_code == 304
    bad = await requests_client.put(
        NARRATIVE, params=_where(DINKES_ID), json={"policy": "x" * 20001}, headers=dinkes
    )
    assert bad.status_code == 422
    unknown = await requests_client.put(
        NARRATIVE, params=_where(uuid.uuid4()), json=TEXTS, headers=dinkes
    )
    assert unknown.status_code == 404
    async with database_session(requests_database) as session:
        audited = (
            await session.execute(
                sa.text(
                    "SELECT details FROM audit_log WHERE action = "
                    "'annual_report.narrative_written' ORDER BY id"
                )
            )
        ).scalars()
        details = list(audited)
    assert [d["version"] for d in details] == [1, 2]
    assert details[1]["parts"] == [k for k in TEXTS if k != "follow_up_plan"]

    # The unit's report carries its text; the root's lists it under the unit.
    unit_report = await requests_client.get(URL, params=_where(DINKES_ID))
    assert unit_report.status_code == 200
    body: dict[str, Any] = unit_report.json()
    assert body["policy"]["texts"] == {"policy": TEXTS["policy"]}
    assert body["obstacles"]["texts"] == {
        "obstacles_internal": TEXTS["obstacles_internal"],
        "obstacles_external": TEXTS["obstacles_external"],
    }
    assert body["recommendations"]["texts"]["follow_up_plan"] is None
    root_report = (
        await requests_client.get(URL, params={"root": str(ROOT_ID), "year": YEAR})
    ).json()
    assert root_report["policy"]["texts"] == {"policy": None}
    assert [u["unit_id"] for u in root_report["policy"]["units"]] == [str(DINKES_ID)]
    pdf = await requests_client.get(f"{URL}.pdf", params=_where(DINKES_ID))
    assert pdf.status_code == 200
    assert "Jumlah petugas terbatas." in pdf_text(pdf.content)


async def test_view_depends_on_the_callers_grant(
    requests_client: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    minter = auth_stack.minter
    root = {"root": str(ROOT_ID), "year": YEAR}
    cases: list[tuple[dict[str, str], dict[str, str], str]] = [
        ({}, root, "public"),
        (requester(minter), root, "public"),
        (official(minter, "ppid.dinkes"), root, "public"),  # not the whole root
        (official(minter, "ppid.dinkes"), _where(DINKES_ID), "official"),
        (official(minter, "ppid.dinkes"), _where(DISDIK_ID), "public"),
        (official(minter, "auditor"), root, "official"),
        (official(minter, "atasan"), root, "official"),
    ]
    for headers, params, view in cases:
        response = await requests_client.get(URL, params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["view"] == view, (headers, params)
        assert body["suppression"] is (view == "public")
        expected_cache = "public, max-age=300" if view == "public" else "private, no-cache"
        assert response.headers["Cache-Control"] == expected_cache
    first = await requests_client.get(URL, params=root)
    assert first.json()["due_date"] == "2026-03-31"
    assert first.json()["unit_id"] is None
    assert first.json()["scope"]["code"] == "kota-contoh"
    cached = await requests_client.get(
        URL, params=root, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert cached.status_code == 304
    csv_first = await requests_client.get(f"{URL}.csv", params=root)
    assert (
        'filename="laporan-layanan-informasi-kota-contoh-2025.csv"'
        in (csv_first.headers["Content-Disposition"])
    )
    csv_again = await requests_client.get(
        f"{URL}.csv", params=root, headers={"If-None-Match": csv_first.headers["ETag"]}
    )
    assert csv_again.status_code == 304


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"year": YEAR}, 422),  # neither root nor unit
        ({"root": str(ROOT_ID), "unit_id": str(DINKES_ID), "year": YEAR}, 422),
        ({"root": str(ROOT_ID)}, 422),
        ({"root": str(ROOT_ID), "year": "2007"}, 422),
        ({"root": str(DINKES_ID), "year": YEAR}, 404),  # not a root
        ({"root": str(uuid.uuid4()), "year": YEAR}, 404),
        ({"unit_id": str(uuid.uuid4()), "year": YEAR}, 404),
    ],
)
async def test_bad_scopes(
    params: dict[str, str], status: int, requests_client: httpx.AsyncClient
) -> None:
    for suffix in ("", ".csv", ".pdf"):
        response = await requests_client.get(f"{URL}{suffix}", params=params)
        assert response.status_code == status, (suffix, response.text)
