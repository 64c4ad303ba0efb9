"""GET /v1/dip/freshness: per unit of the root, counts, last update, stale berkala entries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from registry_service.models import DipCategory, DipStatus

from tests.registry.dik.support import add_dip_entry
from tests.registry.harness import DINKES_ID, DISDIK_ID, ROOT_ID, Minter, demo_account
from tests.services.support import execute


def unit_row(report: dict[str, Any], unit_id: uuid.UUID) -> dict[str, Any]:
    return next(u for u in report["units"] if u["unit_id"] == str(unit_id))


async def test_freshness_counts_and_stale_berkala(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    berkala = await add_dip_entry(registry_database, title="Laporan Keuangan")
    old = await add_dip_entry(registry_database, title="Profil Dinas Kesehatan")
    await add_dip_entry(registry_database, category=DipCategory.SERTA_MERTA)
    await add_dip_entry(registry_database, status=DipStatus.DRAFT)
    await execute(
        registry_database,
        "UPDATE dip_entries SET updated_at = now() - interval '40 days' WHERE id = :id",
        id=old,
    )
    params = {"root": str(ROOT_ID)}
    assert (await registry.get("/v1/dip/freshness", params=params)).status_code == 401
    stranger = minter.headers([("ppid_utama", uuid.uuid4())])
    assert (
        await registry.get("/v1/dip/freshness", params=params, headers=stranger)
    ).status_code == 403
    requester = minter.headers([], typ="requester")
    assert (
        await registry.get("/v1/dip/freshness", params=params, headers=requester)
    ).status_code == 403
    not_root = {"root": str(DINKES_ID)}
    utama = minter.official(demo_account("ppid.utama"))
    assert (
        await registry.get("/v1/dip/freshness", params=not_root, headers=utama)
    ).status_code == 404

    response = await registry.get(
        "/v1/dip/freshness", params=params, headers=minter.official(demo_account("ppid.disdik"))
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["berkala_stale_days"] == 30
    assert report["decree"] is None
    assert report["units"][0]["unit_id"] == str(ROOT_ID)
    dinkes = unit_row(report, DINKES_ID)
    assert dinkes["published"] == {"berkala": 2, "serta_merta": 1, "setiap_saat": 0, "total": 3}
    assert [e["id"] for e in dinkes["stale_berkala"]] == [str(old)]
    assert str(berkala) not in str(dinkes["stale_berkala"])
    assert dinkes["last_updated_at"] is not None
    # Units without entries are listed too.
    disdik = unit_row(report, DISDIK_ID)
    assert disdik["published"]["total"] == 0
    assert disdik["last_updated_at"] is None
    assert disdik["stale_berkala"] == []

    # The root's policy and this year's decree.
    year = datetime.now(UTC).year
    await execute(
        registry_database,
        "INSERT INTO dip_policies (root_id, publish_mode, dik_public, berkala_stale_days) "
        "VALUES (:root, 'verify', true, 60)",
        root=ROOT_ID,
    )
    await execute(
        registry_database,
        "INSERT INTO dip_decrees (id, root_id, year, number, decree_date) "
        "VALUES (:id, :root, :year, 'SK-DIP', make_date(:year, 1, 15))",
        id=uuid.uuid4(),
        root=ROOT_ID,
        year=year,
    )
    again = (await registry.get("/v1/dip/freshness", params=params, headers=utama)).json()
    assert again["berkala_stale_days"] == 60
    assert unit_row(again, DINKES_ID)["stale_berkala"] == []
    assert again["decree"]["number"] == "SK-DIP"
    assert again["decree"]["year"] == year
