"""Officials' writes: create, permissions, the lifecycle under the default `verify` policy,
versions, audit and the changes feed."""

from __future__ import annotations

import uuid

import httpx
import pytest
import sqlalchemy.exc

from tests.registry.entries.support import act, create, entry_body, published
from tests.registry.harness import DINKES_ID, DISDIK_ID, ROOT_ID, Minter, demo_account, official
from tests.services.support import database_session, rows


async def test_create_makes_a_draft_of_the_units_root(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    dinkes = official(minter, "ppid.dinkes")
    body = entry_body(root_id=str(uuid.uuid4()), status="published")  # neither is trusted
    response = await registry.post("/v1/dip/entries", json=body, headers=dinkes)
    assert response.status_code == 201, response.text
    made = response.json()
    assert (made["root_id"], made["status"], made["version"]) == (str(ROOT_ID), "draft", 1)
    assert made["created_by"] == str(demo_account("ppid.dinkes").id)
    assert response.headers["location"] == f"/v1/dip/manage/entries/{made['id']}"
    assert response.headers["etag"]

    assert (await registry.get(f"/v1/dip/entries/{made['id']}")).status_code == 404
    detail = await registry.get(f"/v1/dip/manage/entries/{made['id']}", headers=dinkes)
    assert detail.status_code == 200
    assert detail.headers["etag"] == response.headers["etag"]
    [version] = detail.json()["versions"]
    assert (version["action"], version["actor_role"]) == ("create", "ppid_pelaksana")
    assert version["actor_id"] == str(demo_account("ppid.dinkes").id)
    assert version["snapshot"]["number"] == body["number"]

    audit = await rows(
        registry_database,
        "SELECT action, actor_id FROM audit_log WHERE object_id = :id",
        id=made["id"],
    )
    assert [(a.action, a.actor_id) for a in audit] == [
        ("dip_entry.create", str(demo_account("ppid.dinkes").id))
    ]
    # A draft is not public: nothing in the feed.
    assert (
        await rows(
            registry_database, "SELECT 1 FROM dip_changes WHERE entry_id = :id", id=made["id"]
        )
        == []
    )


async def test_permissions(registry: httpx.AsyncClient, minter: Minter) -> None:
    dinkes, disdik = official(minter, "ppid.dinkes"), official(minter, "ppid.disdik")
    anonymous = await registry.post("/v1/dip/entries", json=entry_body())
    assert anonymous.status_code == 401
    assert anonymous.json()["type"] == "/problems/unauthorized"

    other_unit = await registry.post("/v1/dip/entries", json=entry_body(), headers=disdik)
    assert other_unit.status_code == 403
    unknown = await registry.post(
        "/v1/dip/entries", json=entry_body(unit_id=uuid.uuid4()), headers=dinkes
    )
    assert unknown.status_code == 404

    made = (await create(registry, dinkes)).json()
    etag = (await registry.get(f"/v1/dip/manage/entries/{made['id']}", headers=dinkes)).headers[
        "etag"
    ]
    patch = await registry.patch(
        f"/v1/dip/entries/{made['id']}",
        json={"title": "Bukan milik Disdik"},
        headers={**disdik, "If-Match": etag},
    )
    assert patch.status_code == 403
    assert (await act(registry, disdik, made["id"], "propose")).status_code == 403
    # Disdik is an official of the same root: it may read the draft, not change it.
    assert (
        await registry.get(f"/v1/dip/manage/entries/{made['id']}", headers=disdik)
    ).status_code == 200
    stranger = minter.headers([("ppid_utama", uuid.uuid4())])  # a root the tree does not know
    assert (
        await registry.get(f"/v1/dip/manage/entries/{made['id']}", headers=stranger)
    ).status_code == 404
    assert (await act(registry, stranger, made["id"], "publish")).status_code == 404
    assert (await registry.get(f"/v1/dip/manage/entries/{made['id']}")).status_code == 401
    after = (await registry.get(f"/v1/dip/manage/entries/{made['id']}", headers=dinkes)).json()
    assert (after["version"], after["title"], after["status"]) == (1, made["title"], "draft")


async def test_idempotent_create(registry: httpx.AsyncClient, minter: Minter) -> None:
    dinkes = {**official(minter, "ppid.dinkes"), "Idempotency-Key": uuid.uuid4().hex}
    body = entry_body()
    first = await registry.post("/v1/dip/entries", json=body, headers=dinkes)
    again = await registry.post("/v1/dip/entries", json=body, headers=dinkes)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    other = await registry.post("/v1/dip/entries", json={**body, "title": "Lain"}, headers=dinkes)
    assert other.status_code == 422
    assert other.json()["type"] == "/problems/idempotency-key-reused"
    listed = await registry.get(
        "/v1/dip/manage/entries", params={"unit_id": str(DINKES_ID), "limit": 200}, headers=dinkes
    )
    assert [e["number"] for e in listed.json()["items"]].count(body["number"]) == 1


async def test_number_is_unique_per_root(registry: httpx.AsyncClient, minter: Minter) -> None:
    dinkes = official(minter, "ppid.dinkes")
    made = (await create(registry, dinkes)).json()
    clash = await registry.post(
        "/v1/dip/entries", json=entry_body(number=made["number"]), headers=dinkes
    )
    assert clash.status_code == 409
    assert clash.json()["type"] == "/problems/dip-number-taken"


async def test_verify_policy_proposal_verification_publication(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    dinkes, utama = official(minter, "ppid.dinkes"), official(minter, "ppid.utama")
    made = (await create(registry, dinkes)).json()
    entry_id = made["id"]

    early = await act(registry, dinkes, entry_id, "publish")
    assert early.status_code == 409
    assert early.json()["type"] == "/problems/invalid-transition"
    assert "verifikasi" in early.json()["detail"]

    proposed = await act(registry, dinkes, entry_id, "propose")
    assert (proposed.status_code, proposed.json()["status"]) == (200, "proposed")
    assert (await act(registry, dinkes, entry_id, "verify")).status_code == 403
    still = await act(registry, dinkes, entry_id, "publish")
    assert still.status_code == 409
    verified = await act(registry, utama, entry_id, "verify")
    assert (verified.status_code, verified.json()["status"]) == (200, "verified")
    done = await act(registry, dinkes, entry_id, "publish")
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["version"]) == ("published", 4)
    assert done.json()["published_at"] is not None

    public = await registry.get(f"/v1/dip/entries/{entry_id}")
    assert public.status_code == 200
    versions = public.json()["versions"]
    assert [(v["action"], v["status"], v["actor_role"]) for v in versions] == [
        ("create", "draft", "ppid_pelaksana"),
        ("propose", "proposed", "ppid_pelaksana"),
        ("verify", "verified", "ppid_utama"),
        ("publish", "published", "ppid_pelaksana"),
    ]
    assert all("actor_id" not in v and "snapshot" not in v for v in versions)
    assert "status" not in public.json()
    assert public.json()["documents"] == []

    feed = await rows(
        registry_database,
        "SELECT kind, entry FROM dip_changes WHERE entry_id = :id ORDER BY seq",
        id=entry_id,
    )
    assert [(f.kind, f.entry["title"]) for f in feed] == [("upsert", made["title"])]
    audit = await rows(
        registry_database,
        "SELECT action FROM audit_log WHERE object_id = :id ORDER BY id",
        id=entry_id,
    )
    assert [a.action for a in audit] == [
        "dip_entry.create",
        "dip_entry.propose",
        "dip_entry.verify",
        "dip_entry.publish",
    ]


async def test_invalid_transitions_are_409_with_the_reason(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    dinkes, utama = official(minter, "ppid.dinkes"), official(minter, "ppid.utama")
    made = (await create(registry, dinkes)).json()
    assert (await act(registry, dinkes, made["id"], "propose")).status_code == 200
    twice = await act(registry, dinkes, made["id"], "propose")
    assert twice.status_code == 409
    assert twice.json()["entry_status"] == "proposed"
    assert "diusulkan" in twice.json()["detail"]
    english = await act(registry, dinkes, made["id"], "propose", extra={"Accept-Language": "en"})
    assert english.status_code == 409
    assert english.json()["title"] == "Status change not allowed"
    assert "proposed" in english.json()["detail"]
    withdraw = await act(registry, dinkes, made["id"], "withdraw", {"reason": "salah"})
    assert withdraw.status_code == 409
    assert (await act(registry, utama, made["id"], "supersede", {"reason": "x"})).status_code == 409
    detail = (await registry.get(f"/v1/dip/manage/entries/{made['id']}", headers=dinkes)).json()
    assert (detail["status"], detail["version"], len(detail["versions"])) == ("proposed", 2, 2)


async def test_return_needs_the_ppid_utama_and_a_reason(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    dinkes, utama = official(minter, "ppid.dinkes"), official(minter, "ppid.utama")
    made = (await create(registry, dinkes)).json()
    await act(registry, dinkes, made["id"], "propose")
    assert (await act(registry, dinkes, made["id"], "return", {"reason": "x"})).status_code == 403
    missing = await act(registry, utama, made["id"], "return", {})
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["reason"]
    blank = await act(registry, utama, made["id"], "return", {"reason": "   "})
    assert blank.status_code == 422
    back = await act(registry, utama, made["id"], "return", {"reason": "Lengkapi ringkasan."})
    assert (back.status_code, back.json()["status"]) == (200, "draft")
    detail = (await registry.get(f"/v1/dip/manage/entries/{made['id']}", headers=dinkes)).json()
    assert detail["versions"][-1]["reason"] == "Lengkapi ringkasan."
    assert detail["version"] == 3


async def test_withdraw_needs_a_reason_and_leaves_a_tombstone(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    dinkes = official(minter, "ppid.dinkes")
    entry = await published(registry, minter)
    no_reason = await act(registry, dinkes, entry["id"], "withdraw")
    assert no_reason.status_code == 422
    english = await act(registry, dinkes, entry["id"], "withdraw", extra={"Accept-Language": "en"})
    assert english.json()["title"] != no_reason.json()["title"]
    assert (await registry.get(f"/v1/dip/entries/{entry['id']}")).status_code == 200

    gone = await act(registry, dinkes, entry["id"], "withdraw", {"reason": "Data keliru."})
    assert (gone.status_code, gone.json()["status"]) == (200, "withdrawn")
    assert (await registry.get(f"/v1/dip/entries/{entry['id']}")).status_code == 404
    feed = await rows(
        registry_database,
        "SELECT kind, entry FROM dip_changes WHERE entry_id = :id ORDER BY seq",
        id=entry["id"],
    )
    assert [(f.kind, f.entry is None) for f in feed] == [("upsert", False), ("tombstone", True)]

    # Archiving what is already out of the public DIP tells the feed nothing new.
    archived = await act(registry, dinkes, entry["id"], "archive", {"reason": "Retensi habis."})
    assert (archived.status_code, archived.json()["status"]) == (200, "archived")
    again = await rows(
        registry_database, "SELECT 1 FROM dip_changes WHERE entry_id = :id", id=entry["id"]
    )
    assert len(again) == 2
    patch = await registry.patch(
        f"/v1/dip/entries/{entry['id']}",
        json={"title": "Tidak boleh"},
        headers={**dinkes, "If-Match": archived.headers["etag"]},
    )
    assert patch.status_code == 409


async def test_supersede_names_a_published_entry_of_the_root(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    dinkes = official(minter, "ppid.dinkes")
    old, new = await published(registry, minter), await published(registry, minter)
    draft = (await create(registry, dinkes)).json()
    reason = {"reason": "Diganti laporan audit."}
    for bad in (None, old["id"], draft["id"], str(uuid.uuid4())):
        refused = await act(
            registry, dinkes, old["id"], "supersede", {**reason, "superseded_by": bad}
        )
        assert refused.status_code == 422, bad
        assert refused.json()["errors"][0]["field"] == "superseded_by"
    done = await act(
        registry, dinkes, old["id"], "supersede", {**reason, "superseded_by": new["id"]}
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["superseded_by"]) == ("superseded", new["id"])
    feed = await rows(
        registry_database,
        "SELECT kind FROM dip_changes WHERE entry_id = :id ORDER BY seq",
        id=old["id"],
    )
    assert [f.kind for f in feed] == ["upsert", "tombstone"]


async def test_patch_needs_if_match_and_keeps_a_published_entry_published(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    dinkes = official(minter, "ppid.dinkes")
    entry = await published(registry, minter)
    url = f"/v1/dip/entries/{entry['id']}"
    current = (await registry.get(f"/v1/dip/manage/entries/{entry['id']}", headers=dinkes)).headers[
        "etag"
    ]

    assert (await registry.patch(url, json={"title": "Baru"}, headers=dinkes)).status_code == 428
    stale = await registry.patch(
        url, json={"title": "Baru"}, headers={**dinkes, "If-Match": '"stale"'}
    )
    assert stale.status_code == 412
    nulled = await registry.patch(
        url, json={"title": None}, headers={**dinkes, "If-Match": current}
    )
    assert nulled.status_code == 422
    assert nulled.json()["errors"][0]["field"] == "title"

    changed = await registry.patch(
        url,
        json={"title": "Judul diperbarui", "tags": ["anggaran"], "reason": "Judul lebih jelas."},
        headers={**dinkes, "If-Match": current},
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["version"]) == ("published", 3)
    assert changed.headers["etag"] != current
    reused = await registry.patch(
        url, json={"title": "Lagi"}, headers={**dinkes, "If-Match": current}
    )
    assert reused.status_code == 412

    public = (await registry.get(url)).json()
    assert (public["title"], public["tags"]) == ("Judul diperbarui", ["anggaran"])
    assert public["versions"][-1]["action"] == "update"
    assert public["versions"][-1]["reason"] == "Judul lebih jelas."
    feed = await rows(
        registry_database,
        "SELECT kind, entry FROM dip_changes WHERE entry_id = :id ORDER BY seq",
        id=entry["id"],
    )
    assert [(f.kind, f.entry["title"]) for f in feed] == [
        ("upsert", entry["title"]),
        ("upsert", "Judul diperbarui"),
    ]


async def test_patch_cannot_move_an_entry_out_of_reach(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    dinkes, utama = official(minter, "ppid.dinkes"), official(minter, "ppid.utama")
    made = await create(registry, dinkes)
    url = f"/v1/dip/entries/{made.json()['id']}"
    etag = made.headers["etag"]
    to_disdik = await registry.patch(
        url, json={"unit_id": str(DISDIK_ID)}, headers={**dinkes, "If-Match": etag}
    )
    assert to_disdik.status_code == 403
    moved = await registry.patch(
        url, json={"unit_id": str(DISDIK_ID)}, headers={**utama, "If-Match": etag}
    )
    assert (moved.status_code, moved.json()["unit_id"]) == (200, str(DISDIK_ID))
    assert moved.json()["root_id"] == str(ROOT_ID)


async def test_editing_a_verified_entry_needs_verification_again(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    dinkes, utama = official(minter, "ppid.dinkes"), official(minter, "ppid.utama")
    made = (await create(registry, dinkes)).json()
    await act(registry, dinkes, made["id"], "propose")
    verified = await act(registry, utama, made["id"], "verify")
    edited = await registry.patch(
        f"/v1/dip/entries/{made['id']}",
        json={"summary": "Ringkasan lain setelah verifikasi."},
        headers={**dinkes, "If-Match": verified.headers["etag"]},
    )
    assert (edited.status_code, edited.json()["status"]) == (200, "proposed")
    assert (await act(registry, dinkes, made["id"], "publish")).status_code == 409


async def test_action_if_match_is_checked_when_sent(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    dinkes = official(minter, "ppid.dinkes")
    made = await create(registry, dinkes)
    stale = await act(registry, dinkes, made.json()["id"], "propose", extra={"If-Match": '"old"'})
    assert stale.status_code == 412
    fresh = await act(
        registry, dinkes, made.json()["id"], "propose", extra={"If-Match": made.headers["etag"]}
    )
    assert fresh.status_code == 200


async def test_versions_are_immutable(
    registry: httpx.AsyncClient, minter: Minter, registry_database: str
) -> None:
    made = (await create(registry, official(minter, "ppid.dinkes"))).json()
    for sql in (
        "UPDATE dip_entry_versions SET reason = 'diubah' WHERE entry_id = :id",
        "DELETE FROM dip_entry_versions WHERE entry_id = :id",
    ):
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
            async with database_session(registry_database) as session:
                await session.execute(sqlalchemy.text(sql), {"id": made["id"]})
    kept = await rows(
        registry_database,
        "SELECT reason FROM dip_entry_versions WHERE entry_id = :id",
        id=made["id"],
    )
    assert [k.reason for k in kept] == [None]


async def test_managed_list_shows_any_status_to_officials_of_the_root(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    dinkes, disdik = official(minter, "ppid.dinkes"), official(minter, "ppid.disdik")
    draft = (await create(registry, dinkes)).json()
    listed = await registry.get(
        "/v1/dip/manage/entries",
        params={"status": "draft", "unit_id": str(DINKES_ID), "limit": 200},
        headers=disdik,
    )
    assert listed.status_code == 200
    assert listed.headers["cache-control"] == "private, no-cache"
    items = listed.json()["items"]
    assert draft["id"] in {e["id"] for e in items}
    assert {e["status"] for e in items} == {"draft"}
    assert {e["unit_id"] for e in items} == {str(DINKES_ID)}
    assert (await registry.get("/v1/dip/manage/entries")).status_code == 401
    stranger = minter.headers([("ppid_utama", uuid.uuid4())])
    assert (await registry.get("/v1/dip/manage/entries", headers=stranger)).status_code == 403
    other_root = await registry.get(
        "/v1/dip/manage/entries", params={"root": str(uuid.uuid4())}, headers=disdik
    )
    assert other_root.status_code == 403
