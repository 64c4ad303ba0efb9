"""Per-root policy (`direct` / `verify`) and the yearly DIP decrees."""

from __future__ import annotations

import uuid

import httpx

from tests.registry.entries.support import act, create
from tests.registry.harness import ROOT_ID, Minter, official
from tests.services.support import rows

POLICY = f"/v1/dip/policies/{ROOT_ID}"
DIRECT = {"publish_mode": "direct", "dik_public": True, "berkala_stale_days": 45}


async def test_policy_defaults_and_who_may_set_it(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    default = await registry.get(POLICY)
    assert default.status_code == 200
    assert default.json() == {
        "root_id": str(ROOT_ID),
        "publish_mode": "verify",
        "dik_public": True,
        "berkala_stale_days": 30,
        "updated_at": None,
    }
    assert (await registry.get(f"/v1/dip/policies/{uuid.uuid4()}")).status_code == 404
    assert (await registry.put(POLICY, json=DIRECT)).status_code == 401
    dinkes = official(minter, "ppid.dinkes")
    assert (await registry.put(POLICY, json=DIRECT, headers=dinkes)).status_code == 403
    bad = await registry.put(
        POLICY, json={**DIRECT, "publish_mode": "anyone"}, headers=official(minter, "admin")
    )
    assert bad.status_code == 422

    first = await registry.put(POLICY, json=DIRECT, headers=official(minter, "admin"))
    assert first.status_code == 201, first.text
    assert first.json()["publish_mode"] == "direct"
    shown = await registry.get(POLICY)
    assert shown.json()["berkala_stale_days"] == 45
    assert shown.headers["etag"] == first.headers["etag"]

    utama = official(minter, "ppid.utama")
    verify = {**DIRECT, "publish_mode": "verify"}
    assert (await registry.put(POLICY, json=verify, headers=utama)).status_code == 428
    stale = await registry.put(POLICY, json=verify, headers={**utama, "If-Match": '"old"'})
    assert stale.status_code == 412
    assert (await registry.get(POLICY)).json()["publish_mode"] == "direct"
    audit = await rows(
        registry_database,
        "SELECT action FROM audit_log WHERE object_type = 'dip_policy' AND object_id = :id",
        id=str(ROOT_ID),
    )
    assert [a.action for a in audit] == ["dip_policy.set"]


async def test_direct_policy_lets_the_unit_publish_from_draft(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    dinkes = official(minter, "ppid.dinkes")
    made = (await create(registry, dinkes)).json()
    current = await registry.get(POLICY)
    if current.json()["publish_mode"] != "direct":  # when run alone
        put = await registry.put(
            POLICY,
            json=DIRECT,
            headers={**official(minter, "ppid.utama"), "If-Match": current.headers["etag"]},
        )
        assert put.status_code in (200, 201)
    done = await act(registry, dinkes, made["id"], "publish")
    assert (done.status_code, done.json()["status"]) == (200, "published")
    # Still no verification by the unit itself.
    other = (await create(registry, dinkes)).json()
    await act(registry, dinkes, other["id"], "propose")
    assert (await act(registry, dinkes, other["id"], "verify")).status_code == 403
    assert (await act(registry, dinkes, other["id"], "publish")).status_code == 200

    back = await registry.get(POLICY)
    reset = await registry.put(
        POLICY,
        json={**DIRECT, "publish_mode": "verify"},
        headers={**official(minter, "ppid.utama"), "If-Match": back.headers["etag"]},
    )
    assert reset.status_code == 200
    third = (await create(registry, dinkes)).json()
    assert (await act(registry, dinkes, third["id"], "publish")).status_code == 409


async def test_decrees(registry: httpx.AsyncClient, minter: Minter) -> None:
    url = f"/v1/dip/decrees/{ROOT_ID}/2025"
    body = {"number": "188.45/12/KPTS/2025", "decree_date": "2025-01-10", "signed_by": "Wali Kota"}
    assert (await registry.put(url, json=body)).status_code == 401
    assert (
        await registry.put(url, json=body, headers=official(minter, "ppid.dinkes"))
    ).status_code == 403
    utama = official(minter, "ppid.utama")
    assert (
        await registry.put(f"/v1/dip/decrees/{uuid.uuid4()}/2025", json=body, headers=utama)
    ).status_code == 404
    made = await registry.put(url, json=body, headers=utama)
    assert made.status_code == 201, made.text
    assert made.json()["number"] == body["number"]
    await registry.put(
        f"/v1/dip/decrees/{ROOT_ID}/2024", json={**body, "number": "lama"}, headers=utama
    )

    listed = await registry.get("/v1/dip/decrees", params={"root": str(ROOT_ID)})
    assert [(d["year"], d["number"]) for d in listed.json()["items"]] == [
        (2025, body["number"]),
        (2024, "lama"),
    ]
    assert listed.headers["cache-control"] == "public, max-age=60"
    assert (await registry.get("/v1/dip/decrees", params={"root": str(uuid.uuid4())})).json()[
        "items"
    ] == []

    one = await registry.get(url)
    assert one.headers["etag"] == made.headers["etag"]
    fixed = {**body, "number": "188.45/13/KPTS/2025"}
    assert (await registry.put(url, json=fixed, headers=utama)).status_code == 428
    replaced = await registry.put(
        url, json=fixed, headers={**utama, "If-Match": one.headers["etag"]}
    )
    assert (replaced.status_code, replaced.json()["number"]) == (200, fixed["number"])
    assert (await registry.get(url)).json()["number"] == fixed["number"]
