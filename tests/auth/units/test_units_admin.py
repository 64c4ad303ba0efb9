"""POST and PATCH /v1/units: who may create, edit, move, (de)activate; the PPID Utama rule."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.auth.units.support import (
    Json,
    Minter,
    Roots,
    admin,
    create,
    created,
    patch,
    problem_type,
)


async def test_root_admin_creates_a_unit_with_contacts_and_hours(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    hours = [
        {"day": "fri", "opens": "13:30", "closes": "16:00"},
        {"day": "mon", "opens": "08:00", "closes": "16:00"},
        {"day": "fri", "opens": "08:00", "closes": "11:30"},
    ]
    response = await create(
        client,
        admin(minter, roots.a),
        roots.a,
        ppid="pelaksana",
        contact_email="ppid.dinkes@kota-a.go.id",
        contact_phone="+62 21 555 0101",
        contact_address="Jl. Merdeka 1",
        description="PPID Pelaksana Dinas Kesehatan",
        service_hours=hours,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/units/{body['id']}"
    fetched = await client.get(response.headers["location"])
    assert fetched.headers["etag"] == response.headers["etag"]
    assert fetched.json()["contact_email"] == "ppid.dinkes@kota-a.go.id"
    assert [(p["day"], p["opens"]) for p in body["service_hours"]] == [
        ("mon", "08:00:00"),
        ("fri", "08:00:00"),
        ("fri", "13:30:00"),
    ]
    assert (body["root_id"], body["parent_id"], body["ppid"]) == (
        str(roots.a),
        str(roots.a),
        "pelaksana",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "badan_publik"}, "body"),
        ({"code": "Not A Code"}, "code"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"service_hours": [{"day": "mon", "opens": "10:00", "closes": "09:00"}]}, "service_hours"),
        (
            {
                "service_hours": [
                    {"day": "mon", "opens": "08:00", "closes": "12:00"},
                    {"day": "mon", "opens": "11:00", "closes": "15:00"},
                ]
            },
            "body",
        ),
    ],
)
async def test_invalid_units_are_422(
    client: httpx.AsyncClient, minter: Minter, roots: Roots, fields: Json, field: str
) -> None:
    response = await create(client, admin(minter, roots.a), roots.a, **fields)
    assert response.status_code == 422, response.text
    assert [e["field"].split(".")[0] for e in response.json()["errors"]] == [field]


async def test_who_may_create_where(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    opd = await created(client, admin(minter, roots.a), roots.a)
    sibling = await created(client, admin(minter, roots.a), roots.a)
    own = admin(minter, opd["id"])
    assert (await create(client, own, opd["id"])).status_code == 201  # below its own unit
    assert (await create(client, own, sibling["id"])).status_code == 403
    assert (await create(client, own, roots.a)).status_code == 403  # not above itself
    assert (await create(client, admin(minter, roots.a), roots.b)).status_code == 403
    ppid_only = admin(minter, roots.a, role="ppid_utama")
    assert (await create(client, ppid_only, opd["id"])).status_code == 403
    assert (await create(client, own, uuid.uuid4())).status_code == 404
    assert (await create(client, {}, roots.a)).status_code == 401
    # A client's token carries no official's authority, whatever it claims.
    as_client = minter.headers([("admin", roots.a)], typ="client")
    assert (await create(client, as_client, roots.a)).status_code == 403


async def test_codes_are_unique(client: httpx.AsyncClient, minter: Minter, roots: Roots) -> None:
    first = await created(client, admin(minter, roots.a), roots.a)
    again = await create(client, admin(minter, roots.a), roots.a, code=first["code"])
    assert (again.status_code, problem_type(again)) == (409, "/problems/unit-code-taken")


async def test_a_retried_create_returns_the_first_unit(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    headers = {**admin(minter, roots.a, role="admin"), "Idempotency-Key": uuid.uuid4().hex}
    body = {"code": f"idem-{uuid.uuid4().hex[:8]}", "name": "UPT", "kind": "upt"}
    body["parent_id"] = str(roots.a)
    first = await client.post("/v1/units", json=body, headers=headers)
    second = await client.post("/v1/units", json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    other = await client.post("/v1/units", json={**body, "name": "Lain"}, headers=headers)
    assert other.status_code == 422


async def test_update_needs_if_match_and_keeps_history(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    unit = await created(client, admin(minter, roots.a), roots.a)
    own = admin(minter, unit["id"])
    path = f"/v1/units/{unit['id']}"
    assert (await client.patch(path, json={"name": "X"}, headers=own)).status_code == 428
    stale = {**own, "If-Match": '"stale"'}
    assert (await client.patch(path, json={"name": "X"}, headers=stale)).status_code == 412
    change = {"name": "Dinas Baru", "contact_phone": "+62 21 1234567", "reason": "SK 1/2025"}
    response = await patch(client, own, unit["id"], change)
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Dinas Baru"
    assert (await client.get(path)).headers["etag"] == response.headers["etag"]
    history = (await client.get(f"{path}/history", headers=own)).json()["items"]
    assert [item["action"] for item in history] == ["updated", "created"]
    assert history[0]["changes"]["name"] == {"from": "Dinas", "to": "Dinas Baru"}
    assert history[0]["reason"] == "SK 1/2025"
    assert history[0]["snapshot"]["contact_phone"] == "+62 21 1234567"


async def test_clearing_a_field_and_refusing_nulls(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    unit = await created(client, admin(minter, roots.a), roots.a, description="Lama")
    own = admin(minter, unit["id"])
    cleared = await patch(client, own, unit["id"], {"description": None})
    assert (cleared.status_code, cleared.json()["description"]) == (200, None)
    assert (await patch(client, own, unit["id"], {"name": None})).status_code == 422


async def test_time_zone_and_kind_fit_roots_only(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    unit = await created(client, admin(minter, roots.a), roots.a)
    root_admin = admin(minter, roots.a)
    for body in ({"time_zone": "Asia/Jayapura"}, {"kind": "badan_publik"}):
        assert (await patch(client, root_admin, unit["id"], body)).status_code == 422
    assert (await patch(client, root_admin, str(roots.a), {"kind": "opd"})).status_code == 422
    zone = await patch(client, admin(minter, roots.b), str(roots.b), {"time_zone": "Asia/Jayapura"})
    assert (zone.status_code, zone.json()["time_zone"]) == (200, "Asia/Jayapura")


async def test_an_unchanged_patch_writes_no_history(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    unit = await created(client, admin(minter, roots.a), roots.a, name="Sama")
    own = admin(minter, unit["id"])
    assert (await patch(client, own, unit["id"], {"name": "Sama"})).status_code == 200
    history = await client.get(f"/v1/units/{unit['id']}/history", headers=own)
    assert len(history.json()["items"]) == 1
