"""DIK documents: originals and redacted versions, never anonymous."""

from __future__ import annotations

import uuid

from tests.registry.documents.support import (
    Docs,
    all_keys,
    dik_entry,
    dik_path,
    dip_entry,
    dip_path,
    document_rows,
    upload,
)
from tests.registry.harness import Minter, demo_account
from tests.support.objects import pdf


async def test_dik_documents_are_read_by_officials_of_the_root_only(
    docs: Docs, minter: Minter
) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    dik_id = await dik_entry(docs.database_url)
    data = pdf()

    created = await upload(docs.client, dik_path(dik_id), data, editor, title="Rekam medis")
    assert created.status_code == 201, created.text
    doc = created.json()
    assert doc["url"] == f"/v1/dik/entries/{dik_id}/documents/{doc['id']}/content"
    (row,) = await document_rows(docs.database_url, dik_id)
    assert row.entry_id is None
    assert row.dik_id == dik_id

    # Never anonymous; other badan publik's officials do not learn it exists.
    anonymous = await docs.client.get(doc["url"])
    assert anonymous.status_code == 401
    stranger = minter.headers([("ppid_utama", uuid.uuid4())])
    assert (await docs.client.get(doc["url"], headers=stranger)).status_code == 404
    # Officials of the root read it.
    for account in ("ppid.dinkes", "ppid.disdik", "ppid.utama"):
        got = await docs.client.get(doc["url"], headers=minter.official(demo_account(account)))
        assert got.status_code == 200, account
        assert got.content == data
        assert got.headers["cache-control"] == "private, no-cache"
    # Its documents are not reachable under a DIP path either.
    dip_url = f"/v1/dip/entries/{dik_id}/documents/{doc['id']}/content"
    assert (await docs.client.get(dip_url)).status_code == 404


async def test_dik_uploads_and_removals_need_an_editor_of_the_unit(
    docs: Docs, minter: Minter
) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    disdik = minter.official(demo_account("ppid.disdik"))
    dik_id = await dik_entry(docs.database_url)

    assert (await upload(docs.client, dik_path(dik_id), pdf(), {})).status_code == 401
    assert (await upload(docs.client, dik_path(dik_id), pdf(), disdik)).status_code == 403
    assert await all_keys(docs.store) == []
    unknown = await upload(docs.client, dik_path(uuid.uuid4()), pdf(), editor)
    assert unknown.status_code == 404

    doc = (await upload(docs.client, dik_path(dik_id), pdf(), editor)).json()
    path = f"{dik_path(dik_id)}/{doc['id']}"
    assert (await docs.client.delete(path, headers=disdik)).status_code == 403
    assert (await docs.client.delete(path, headers=editor)).status_code == 204
    assert await all_keys(docs.store) == []
    assert await document_rows(docs.database_url, dik_id) == []


async def test_dik_redacted_versions_point_at_an_original_of_the_same_dik_entry(
    docs: Docs, minter: Minter
) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    dik_id = await dik_entry(docs.database_url)
    entry_id = await dip_entry(docs.database_url)
    original = (await upload(docs.client, dik_path(dik_id), pdf(), editor)).json()
    dip_doc = (await upload(docs.client, dip_path(entry_id), pdf(), editor)).json()

    # A DIP document is not an original of this DIK entry.
    refused = await upload(
        docs.client, dik_path(dik_id), pdf(), editor, kind="redacted", redacts_id=dip_doc["id"]
    )
    assert refused.status_code == 422, refused.text
    redacted = await upload(
        docs.client,
        dik_path(dik_id),
        pdf(),
        editor,
        kind="redacted",
        redacts_id=original["id"],
        title="Versi tersamar",
    )
    assert redacted.status_code == 201, redacted.text
    assert redacted.json()["redacts_id"] == original["id"]
    kinds = sorted(row.kind for row in await document_rows(docs.database_url, dik_id))
    assert kinds == ["original", "redacted"]
    assert len(await all_keys(docs.store)) == 3
