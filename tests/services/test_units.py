"""auth: GET /v1/units and /v1/units/{unit_id} against a migrated database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
import sqlalchemy.exc
from auth_service.units import repository
from auth_service.units.models import PpidDesignation, RootTimeZone, Unit, UnitKind

from tests.services.support import AUTH, Json, all_pages, database_session, serve, tamper

ROOT_A = uuid.UUID("10000000-0000-4000-8000-000000000000")
ROOT_B = uuid.UUID("20000000-0000-4000-8000-000000000000")


def root(unit_id: uuid.UUID, code: str, name: str, zone: RootTimeZone) -> Unit:
    return Unit(
        id=unit_id,
        root_id=unit_id,
        code=code,
        name=name,
        kind=UnitKind.BADAN_PUBLIK,
        time_zone=zone,
    )


def child(
    parent: Unit,
    code: str,
    name: str,
    kind: UnitKind,
    ppid: PpidDesignation = PpidDesignation.NONE,
    is_active: bool = True,
) -> Unit:
    return Unit(
        parent_id=parent.id,
        root_id=parent.root_id,
        code=code,
        name=name,
        kind=kind,
        ppid=ppid,
        is_active=is_active,
    )


def tree() -> list[Unit]:
    """Two roots; two units share a name so the id breaks the tie in the keyset order."""
    a = root(ROOT_A, "kota-a", "Pemerintah Kota A", RootTimeZone.WIB)
    b = root(ROOT_B, "kab-b", "Pemerintah Kabupaten B", RootTimeZone.WITA)
    kominfo = child(a, "kota-a.kominfo", "Dinas Kominfo", UnitKind.OPD, ppid=PpidDesignation.UTAMA)
    dinkes = child(a, "kota-a.dinkes", "Dinas Kesehatan", UnitKind.OPD)
    kec = child(a, "kota-a.kec-1", "Kecamatan Satu", UnitKind.KECAMATAN)
    return [
        a,
        b,
        kominfo,
        dinkes,
        kec,
        child(dinkes, "kota-a.upt", "UPT Puskesmas Utara", UnitKind.UPT),
        child(a, "kota-a.rsud", "RSUD Kota A", UnitKind.RSUD, ppid=PpidDesignation.PELAKSANA),
        child(kec, "kota-a.kel-1", "Kelurahan Sukamaju", UnitKind.KELURAHAN),
        child(kec, "kota-a.kel-2", "Kelurahan Sukamaju", UnitKind.KELURAHAN),
        child(kec, "kota-a.kel-3", "Kelurahan Lama", UnitKind.KELURAHAN, is_active=False),
        child(b, "kab-b.kominfo", "Dinas Kominfo", UnitKind.OPD, ppid=PpidDesignation.UTAMA),
        child(b, "kab-b.bappeda", "Bappeda 100% Data_Center", UnitKind.OPD),
    ]


@pytest.fixture(scope="module")
def database_url(migrated_database: Callable[..., str]) -> str:
    return migrated_database("auth", suffix="_units")


@pytest.fixture(scope="module")
async def units(database_url: str) -> list[Unit]:
    """The seeded units, in the directory's (name, id) order."""
    seeded = tree()
    async with database_session(database_url) as session:
        for unit in seeded:  # parents first: the composite foreign key checks each row
            await repository.add_unit(session, unit)
    return sorted(seeded, key=lambda unit: (unit.name, unit.id))


@pytest.fixture(scope="module")
async def client(database_url: str, units: list[Unit]) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(AUTH.make_app(database_url)) as client:
        yield client


def ids(items: list[Json]) -> list[str]:
    return [item["id"] for item in items]


async def test_pages_cover_every_unit_once_in_name_order(
    client: httpx.AsyncClient, units: list[Unit]
) -> None:
    pages = await all_pages(client, "/v1/units", {"limit": 5})
    assert [len(page) for page in pages] == [5, 5, 2]
    assert ids([item for page in pages for item in page]) == [str(u.id) for u in units]


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"root": str(ROOT_B)}, {"kab-b", "kab-b.kominfo", "kab-b.bappeda"}),
        ({"kind": "kelurahan"}, {"kota-a.kel-1", "kota-a.kel-2", "kota-a.kel-3"}),
        ({"parent_id": str(ROOT_B)}, {"kab-b.kominfo", "kab-b.bappeda"}),
        ({"q": "KOMINFO"}, {"kota-a.kominfo", "kab-b.kominfo"}),
        ({"q": "100%"}, {"kab-b.bappeda"}),  # % is a character, not a wildcard
        ({"q": "a_c"}, {"kab-b.bappeda"}),
        ({"q": "a%c"}, set()),
        ({"is_active": "false"}, {"kota-a.kel-3"}),
        ({"root": str(ROOT_A), "kind": "opd", "q": "dinas"}, {"kota-a.kominfo", "kota-a.dinkes"}),
    ],
)
async def test_filters(client: httpx.AsyncClient, params: Json, codes: set[str]) -> None:
    pages = await all_pages(client, "/v1/units", {**params, "limit": 2})
    found = [item["code"] for page in pages for item in page]
    assert sorted(found) == sorted(codes)


async def test_a_filtered_page_keeps_its_filters_in_the_next_link(
    client: httpx.AsyncClient,
) -> None:
    first = await client.get("/v1/units", params={"root": str(ROOT_A), "limit": 1})
    assert f"root={ROOT_A}" in first.headers["link"]


async def test_tampered_cursor_is_a_400_problem(client: httpx.AsyncClient) -> None:
    first = (await client.get("/v1/units", params={"limit": 2})).json()
    for cursor in (tamper(first["next_cursor"]), "garbage"):
        response = await client.get("/v1/units", params={"limit": 2, "cursor": cursor})
        assert response.status_code == 400
        assert response.json()["type"] == "/problems/invalid-cursor"


async def test_list_etag_answers_304_and_is_cacheable(client: httpx.AsyncClient) -> None:
    first = await client.get("/v1/units", params={"limit": 3})
    assert first.headers["cache-control"] == "public, max-age=60"
    again = await client.get(
        "/v1/units", params={"limit": 3}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["etag"] == first.headers["etag"]
    other = await client.get(
        "/v1/units", params={"limit": 4}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert other.status_code == 200


async def test_get_unit(client: httpx.AsyncClient, units: list[Unit]) -> None:
    kominfo = next(u for u in units if u.code == "kota-a.kominfo")
    response = await client.get(f"/v1/units/{kominfo.id}")
    assert response.status_code == 200
    body = response.json()
    assert body["ppid"] == "utama"
    assert (body["root_id"], body["parent_id"]) == (str(ROOT_A), str(ROOT_A))
    assert "last-modified" in response.headers
    cached = await client.get(
        f"/v1/units/{kominfo.id}", headers={"If-None-Match": response.headers["etag"]}
    )
    assert cached.status_code == 304


async def test_get_root_shows_its_time_zone(client: httpx.AsyncClient) -> None:
    body = (await client.get(f"/v1/units/{ROOT_B}")).json()
    assert (body["kind"], body["time_zone"], body["parent_id"]) == (
        "badan_publik",
        "Asia/Makassar",
        None,
    )


async def test_get_unknown_unit_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/v1/units/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


async def test_one_ppid_utama_per_root(database_url: str) -> None:
    """DOMAIN.md 2.2: exactly one PPID Utama per root; the database refuses a second."""
    parent = root(ROOT_A, "kota-a", "Pemerintah Kota A", RootTimeZone.WIB)
    second = child(parent, "kota-a.other", "Dinas Lain", UnitKind.OPD, ppid=PpidDesignation.UTAMA)
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        async with database_session(database_url) as session:
            await repository.add_unit(session, second)


async def test_a_child_cannot_claim_another_root(database_url: str) -> None:
    parent = root(ROOT_A, "kota-a", "Pemerintah Kota A", RootTimeZone.WIB)
    stray = Unit(parent_id=parent.id, root_id=ROOT_B, code="stray", name="Stray", kind=UnitKind.OPD)
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        async with database_session(database_url) as session:
            await repository.add_unit(session, stray)
