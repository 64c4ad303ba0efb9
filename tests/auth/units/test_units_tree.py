"""Moving and (de)activating units, and the one PPID Utama per root (DOMAIN.md 2.2)."""

from __future__ import annotations

import uuid

import httpx
from ppid_kit.tokens import Grant
from ppid_kit.unit_tree import UnitTreeCache, holds

from tests.auth.units.support import Minter, Roots, admin, created, patch, problem_type


async def test_moves_need_admin_above_and_over_the_new_parent(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    root_admin = admin(minter, roots.a)
    opd = await created(client, root_admin, roots.a)
    other = await created(client, root_admin, roots.a)
    upt = await created(client, root_admin, opd["id"], kind="upt")
    move_to_other = {"parent_id": other["id"], "reason": "Perwal 3/2025"}
    # Its own admin cannot move it; nor the admin above it, into a parent it does not hold.
    assert (
        await patch(client, admin(minter, upt["id"]), upt["id"], move_to_other)
    ).status_code == 403
    assert (
        await patch(client, admin(minter, opd["id"]), upt["id"], move_to_other)
    ).status_code == 403
    moved = await patch(client, root_admin, upt["id"], move_to_other)
    assert (moved.status_code, moved.json()["parent_id"]) == (200, other["id"])
    history = await client.get(f"/v1/units/{upt['id']}/history", headers=root_admin)
    latest = history.json()["items"][0]
    assert (latest["action"], latest["changes"]["parent_id"]["to"]) == ("moved", other["id"])


async def test_moves_that_break_the_tree_are_refused(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    root_admin = admin(minter, roots.a)
    opd = await created(client, root_admin, roots.a)
    upt = await created(client, root_admin, opd["id"], kind="upt")
    below_itself = await patch(client, root_admin, opd["id"], {"parent_id": upt["id"]})
    assert (below_itself.status_code, problem_type(below_itself)) == (
        409,
        "/problems/unit-move-invalid",
    )
    onto_itself = await patch(client, root_admin, opd["id"], {"parent_id": opd["id"]})
    assert onto_itself.status_code == 409
    both_roots = minter.headers([("admin", roots.a), ("admin", roots.b)])
    other_root = await patch(client, both_roots, opd["id"], {"parent_id": str(roots.b)})
    assert (other_root.status_code, problem_type(other_root)) == (
        409,
        "/problems/unit-move-invalid",
    )
    # No one is above a root: it cannot be moved or switched off through the API.
    root_move = await patch(client, root_admin, str(roots.a), {"parent_id": opd["id"]})
    assert root_move.status_code == 403
    assert (await patch(client, root_admin, str(roots.a), {"is_active": False})).status_code == 403


async def test_deactivation_keeps_the_tree_consistent(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    root_admin = admin(minter, roots.a)
    kec = await created(client, root_admin, roots.a, kind="kecamatan")
    kel = await created(client, root_admin, kec["id"], kind="kelurahan")
    busy = await patch(client, root_admin, kec["id"], {"is_active": False})
    assert (busy.status_code, problem_type(busy)) == (409, "/problems/unit-has-active-children")
    assert (
        await patch(client, admin(minter, kel["id"]), kel["id"], {"is_active": False})
    ).status_code == 403
    assert (await patch(client, root_admin, kel["id"], {"is_active": False})).status_code == 200
    assert (await patch(client, root_admin, kec["id"], {"is_active": False})).status_code == 200
    # Below an inactive unit nothing is added, moved or switched back on.
    blocked = await patch(client, root_admin, kel["id"], {"is_active": True})
    assert (blocked.status_code, problem_type(blocked)) == (409, "/problems/unit-parent-inactive")
    body = {"code": "kel-baru-x1", "name": "Kel", "kind": "kelurahan", "parent_id": kec["id"]}
    assert (await client.post("/v1/units", json=body, headers=root_admin)).status_code == 409
    assert (await patch(client, root_admin, kec["id"], {"is_active": True})).status_code == 200
    again = await patch(client, root_admin, kel["id"], {"is_active": True, "reason": "dibuka lagi"})
    assert again.status_code == 200
    history = await client.get(f"/v1/units/{kel['id']}/history", headers=root_admin)
    assert [v["action"] for v in history.json()["items"]] == [
        "reactivated",
        "deactivated",
        "created",
    ]


async def test_designating_the_ppid_utama_moves_it(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    root_admin = admin(minter, roots.b)
    first = await created(client, root_admin, roots.b, ppid="utama")
    second = await created(client, root_admin, roots.b, ppid="pelaksana")
    # Only the root's admin names the PPID Utama; nobody drops it without naming another.
    own = admin(minter, second["id"])
    assert (await patch(client, own, second["id"], {"ppid": "utama"})).status_code == 403
    dropped = await patch(client, root_admin, first["id"], {"ppid": "none"})
    assert (dropped.status_code, problem_type(dropped)) == (409, "/problems/ppid-utama-required")
    moved = await patch(client, root_admin, second["id"], {"ppid": "utama", "reason": "SK 2/2025"})
    assert (moved.status_code, moved.json()["ppid"]) == (200, "utama")
    former = (await client.get(f"/v1/units/{first['id']}")).json()
    assert former["ppid"] == "pelaksana"
    history = await client.get(f"/v1/units/{first['id']}/history", headers=root_admin)
    assert history.json()["items"][0]["changes"] == {"ppid": {"from": "utama", "to": "pelaksana"}}
    third = await created(client, root_admin, roots.b, ppid="utama")
    units = (await client.get("/v1/units/tree", params={"root": str(roots.b)})).json()["units"]
    assert [u["id"] for u in units if u["ppid"] == "utama"] == [third["id"]]


async def test_the_kits_cache_follows_auths_tree(
    client: httpx.AsyncClient, minter: Minter, roots: Roots
) -> None:
    """Another service's view: `UnitTreeCache` against this app's `GET /v1/units/tree`."""
    cache = UnitTreeCache("/v1/units/tree", client, refresh_seconds=0)
    first = await cache.get()
    assert {roots.a, roots.b} <= first.ids
    assert (await cache.get()) is first
    assert cache.not_modified == 1
    root_admin = admin(minter, roots.a)
    opd = uuid.UUID((await created(client, root_admin, roots.a))["id"])
    newer = await cache.get()
    assert (opd in newer, newer.root_of(opd), newer.contains(roots.a, opd)) == (True, roots.a, True)
    assert holds([Grant(role="admin", unit_id=str(roots.a))], "admin", opd, newer)
    assert not holds([Grant(role="admin", unit_id=str(roots.b))], "admin", opd, newer)
