"""A unit's history (immutable, for officials of its root), the audit trail, the tree."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
import sqlalchemy.exc

from tests.auth.units.support import Minter, Roots, admin, created, patch
from tests.services.support import all_pages, database_session


async def test_history_is_for_officials_of_the_root(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    unit = await created(client, admin(minter, roots.a), roots.a)
    path = f"/v1/units/{unit['id']}/history"
    auditor_below = minter.headers([("auditor", unit["id"])])
    assert (await client.get(path, headers=auditor_below)).status_code == 200
    assert (await client.get(path, headers=admin(minter, roots.b))).status_code == 403
    assert (await client.get(path, headers=minter.headers([], typ="requester"))).status_code == 403
    assert (await client.get(path)).status_code == 401
    unknown = "/v1/units/00000000-0000-4000-8000-000000000000/history"
    assert (await client.get(unknown, headers=auditor_below)).status_code == 404


async def test_history_pages_newest_first(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    headers = admin(minter, roots.a)
    unit = await created(client, headers, roots.a, name="Nama 0")
    for n in range(1, 5):
        assert (await patch(client, headers, unit["id"], {"name": f"Nama {n}"})).status_code == 200
    client.headers.update(headers)
    try:
        pages = await all_pages(client, f"/v1/units/{unit['id']}/history", {"limit": 2})
    finally:
        del client.headers["authorization"]
    versions = [item["version"] for page in pages for item in page]
    assert versions == [5, 4, 3, 2, 1]
    assert pages[0][0]["snapshot"]["name"] == "Nama 4"
    first = await client.get(f"/v1/units/{unit['id']}/history", headers=headers)
    assert first.headers["cache-control"] == "private, no-cache"


async def test_history_rows_cannot_be_changed(
    client: httpx.AsyncClient, minter: Minter, roots: Roots, database_url: str
) -> None:
    unit = await created(client, admin(minter, roots.a), roots.a)
    for statement in ("UPDATE unit_versions SET reason = 'x'", "DELETE FROM unit_versions"):
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
            async with database_session(database_url) as session:
                await session.execute(
                    sa.text(f"{statement} WHERE unit_id = :id"), {"id": unit["id"]}
                )


async def test_changes_are_audited_without_contact_details(
    client: httpx.AsyncClient, minter: Minter, roots: Roots, database_url: str
) -> None:
    actor = "11111111-2222-4333-8444-555555555555"
    headers = minter.headers([("admin", roots.a)], sub=actor)
    unit = await created(client, headers, roots.a, contact_email="ppid.x@kota-a.go.id")
    change = {"contact_phone": "+62 21 7654321", "contact_email": "baru@kota-a.go.id"}
    assert (await patch(client, headers, unit["id"], change)).status_code == 200
    async with database_session(database_url) as session:
        rows = await session.execute(
            sa.text(
                "SELECT action, actor_id, unit_id, details::text FROM audit_log "
                "WHERE object_type = 'unit' AND object_id = :id ORDER BY id"
            ),
            {"id": unit["id"]},
        )
        found = [tuple(map(str, row)) for row in rows]
    assert [(a, who, unit_id) for a, who, unit_id, _ in found] == [
        ("unit.created", actor, unit["id"]),
        ("unit.updated", actor, unit["id"]),
    ]
    assert '"fields": ["contact_email", "contact_phone"]' in found[1][3]
    assert all("go.id" not in details and "7654321" not in details for *_, details in found)


async def test_tree_of_a_root_with_conditional_gets(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    headers = admin(minter, roots.a)
    unit = await created(client, headers, roots.a, kind="kecamatan")
    gone = await created(client, headers, unit["id"], kind="kelurahan")
    assert (await patch(client, headers, gone["id"], {"is_active": False})).status_code == 200
    first = await client.get("/v1/units/tree", params={"root": str(roots.a)})
    assert (first.status_code, first.headers["cache-control"]) == (200, "no-cache")
    units = first.json()["units"]
    assert {u["root_id"] for u in units} == {str(roots.a)}
    assert {unit["id"], gone["id"], str(roots.a)} <= {u["id"] for u in units}
    assert next(u for u in units if u["id"] == gone["id"])["is_active"] is False
    etag = {"If-None-Match": first.headers["etag"]}
    unchanged = await client.get("/v1/units/tree", params={"root": str(roots.a)}, headers=etag)
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert (await patch(client, headers, unit["id"], {"name": "Kecamatan Baru"})).status_code == 200
    changed = await client.get("/v1/units/tree", params={"root": str(roots.a)}, headers=etag)
    assert changed.status_code == 200
    assert changed.headers["etag"] != first.headers["etag"]


async def test_tree_of_every_root_and_of_an_unknown_one(
    client: httpx.AsyncClient, roots: Roots
) -> None:
    whole = (await client.get("/v1/units/tree")).json()
    assert whole["root"] is None
    assert {str(roots.a), str(roots.b)} <= {u["root_id"] for u in whole["units"]}
    unknown = await client.get(
        "/v1/units/tree", params={"root": "00000000-0000-4000-8000-0000000000aa"}
    )
    assert unknown.status_code == 404
