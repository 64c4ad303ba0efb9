"""DIP documents on the local folder: upload, download, removal, refusals, the feed."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from registry_service.documents.models import DocumentKind
from registry_service.feed.models import ChangeKind
from registry_service.models import DipStatus

from tests.registry.documents.support import (
    Docs,
    all_keys,
    changes_of,
    dip_entry,
    dip_path,
    document_rows,
    upload,
)
from tests.registry.harness import DISDIK_ID, Minter, demo_account
from tests.support.objects import pdf

PE_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 4096


async def test_upload_and_download_round_trip_of_a_draft(docs: Docs, minter: Minter) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url)
    data = pdf(300_000)

    created = await upload(
        docs.client, dip_path(entry_id), data, editor, filename="LRA 2024 é.pdf", title="LRA 2024"
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["filename"] == "LRA 2024 é.pdf"
    assert body["title"] == "LRA 2024"
    assert body["kind"] == "original"
    assert created.headers["location"] == body["url"]
    assert body["url"] == f"/v1/dip/entries/{entry_id}/documents/{body['id']}/content"
    (row,) = await document_rows(docs.database_url, entry_id)
    # The key is generated: the client's filename never reaches the store.
    assert row.object_key.startswith("documents/")
    assert "LRA" not in row.object_key
    assert await all_keys(docs.store) == [row.object_key]

    got = await docs.client.get(body["url"], headers=editor)
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-length"] == str(len(data))
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["etag"] == f'"{body["sha256"]}"'
    assert got.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''LRA%202024%20%C3%A9.pdf" in got.headers["content-disposition"]
    assert got.headers["cache-control"] == "private, no-cache"

    again = await docs.client.get(
        body["url"], headers={**editor, "If-None-Match": got.headers["etag"]}
    )
    assert again.status_code == 304

    # A draft is invisible to the public and to other badan publik's officials.
    assert (await docs.client.get(body["url"])).status_code == 404
    stranger = minter.headers([("ppid_utama", uuid.uuid4())])
    assert (await docs.client.get(body["url"], headers=stranger)).status_code == 404
    # Any official of the same root reads it (Dinas Pendidikan's PPID Pelaksana).
    disdik = minter.official(demo_account("ppid.disdik"))
    assert (await docs.client.get(body["url"], headers=disdik)).status_code == 200


async def test_published_documents_are_public_and_feed_the_changes(
    docs: Docs, minter: Minter
) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url, status=DipStatus.PUBLISHED)
    data = pdf()

    created = await upload(docs.client, dip_path(entry_id), data, editor)
    assert created.status_code == 201, created.text
    doc = created.json()

    public = await docs.client.get(doc["url"])
    assert public.status_code == 200
    assert public.content == data
    assert public.headers["cache-control"] == "public, max-age=60"

    (added,) = await changes_of(docs.database_url, entry_id)
    assert added.kind == ChangeKind.UPSERT
    assert added.entry is not None
    listed = added.entry["documents"]
    assert isinstance(listed, list)
    assert [d["id"] for d in listed if isinstance(d, dict)] == [doc["id"]]

    removed = await docs.client.delete(f"{dip_path(entry_id)}/{doc['id']}", headers=editor)
    assert removed.status_code == 204
    assert await document_rows(docs.database_url, entry_id) == []
    assert await all_keys(docs.store) == []
    assert (await docs.client.get(doc["url"])).status_code == 404
    _, after = await changes_of(docs.database_url, entry_id)
    assert after.kind == ChangeKind.UPSERT
    assert after.entry is not None
    assert after.entry["documents"] == []
    assert after.seq > added.seq


async def test_draft_changes_do_not_feed(docs: Docs, minter: Minter) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url)
    assert (await upload(docs.client, dip_path(entry_id), pdf(), editor)).status_code == 201
    assert await changes_of(docs.database_url, entry_id) == []


async def test_an_executable_named_pdf_is_refused_and_nothing_is_stored(
    docs: Docs, minter: Minter
) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url)

    refused = await upload(
        docs.client, dip_path(entry_id), PE_EXECUTABLE, editor, filename="sk.pdf"
    )

    assert refused.status_code == 415, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("/unsupported-media-type")
    assert await document_rows(docs.database_url, entry_id) == []
    assert await all_keys(docs.store) == []
    assert not any((docs.settings.storage_dir / ".tmp").glob("*"))


async def test_html_and_empty_files_are_refused(docs: Docs, minter: Minter) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url)
    for content in (b"<!DOCTYPE html><script>alert(1)</script>", b""):
        refused = await upload(docs.client, dip_path(entry_id), content, editor)
        assert refused.status_code == 415, refused.text
    assert await all_keys(docs.store) == []


async def test_csv_and_png_are_accepted(docs: Docs, minter: Minter) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url)
    csv = b"no;judul\n1;Laporan keuangan\n"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
    types = []
    for name, content in (("data.csv", csv), ("foto.png", png)):
        created = await upload(docs.client, dip_path(entry_id), content, editor, filename=name)
        assert created.status_code == 201, created.text
        types.append(created.json()["content_type"])
    assert types == ["text/plain", "image/png"]


async def test_another_units_official_may_not_upload(docs: Docs, minter: Minter) -> None:
    disdik = minter.official(demo_account("ppid.disdik"))
    entry_id = await dip_entry(docs.database_url)

    refused = await upload(docs.client, dip_path(entry_id), pdf(), disdik)

    assert refused.status_code == 403, refused.text
    assert await all_keys(docs.store) == []
    # Nor an anonymous caller.
    assert (await upload(docs.client, dip_path(entry_id), pdf(), {})).status_code == 401
    # Dinas Pendidikan's own entry is theirs.
    own = await dip_entry(docs.database_url, unit_id=DISDIK_ID)
    assert (await upload(docs.client, dip_path(own), pdf(), disdik)).status_code == 201


async def test_the_ppid_utama_uploads_for_any_unit(docs: Docs, minter: Minter) -> None:
    utama = minter.official(demo_account("ppid.utama"))
    entry_id = await dip_entry(docs.database_url)
    assert (await upload(docs.client, dip_path(entry_id), pdf(), utama)).status_code == 201


async def test_unknown_entry_is_404(docs: Docs, minter: Minter) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    path = dip_path(uuid.uuid4())
    assert (await upload(docs.client, path, pdf(), editor)).status_code == 404


@pytest.mark.parametrize("status", [DipStatus.WITHDRAWN, DipStatus.ARCHIVED, DipStatus.SUPERSEDED])
async def test_closed_entries_take_no_documents(
    docs: Docs, minter: Minter, status: DipStatus
) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url, status=status)
    refused = await upload(docs.client, dip_path(entry_id), pdf(), editor)
    assert refused.status_code == 409, refused.text
    assert await all_keys(docs.store) == []


async def test_redacted_versions_point_at_an_original_of_the_same_entry(
    docs: Docs, minter: Minter
) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url)
    other_id = await dip_entry(docs.database_url)
    path = dip_path(entry_id)
    original = (await upload(docs.client, path, pdf(), editor)).json()
    foreign = (await upload(docs.client, dip_path(other_id), pdf(), editor)).json()
    keys_before = await all_keys(docs.store)

    no_original = await upload(docs.client, path, pdf(), editor, kind="redacted")
    assert no_original.status_code == 422
    assert no_original.json()["errors"][0]["field"] == "redacts_id"
    elsewhere = await upload(
        docs.client, path, pdf(), editor, kind="redacted", redacts_id=foreign["id"]
    )
    assert elsewhere.status_code == 422, elsewhere.text
    bad_kind = await upload(docs.client, path, pdf(), editor, kind="copy")
    assert bad_kind.status_code == 422
    # Refused after the bytes were stored: the object is gone again.
    assert await all_keys(docs.store) == keys_before

    redacted = await upload(
        docs.client, path, pdf(), editor, kind="redacted", redacts_id=original["id"]
    )
    assert redacted.status_code == 201, redacted.text
    assert redacted.json()["kind"] == DocumentKind.REDACTED
    assert redacted.json()["redacts_id"] == original["id"]
    # A redacted version of a redacted version is not one.
    twice = await upload(
        docs.client, path, pdf(), editor, kind="redacted", redacts_id=redacted.json()["id"]
    )
    assert twice.status_code == 422

    # The original goes only after its redacted versions.
    blocked = await docs.client.delete(f"{path}/{original['id']}", headers=editor)
    assert blocked.status_code == 409
    assert (
        await docs.client.delete(f"{path}/{redacted.json()['id']}", headers=editor)
    ).status_code == 204
    assert (await docs.client.delete(f"{path}/{original['id']}", headers=editor)).status_code == 204


async def test_removal_needs_an_editor_and_the_right_entry(docs: Docs, minter: Minter) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    disdik = minter.official(demo_account("ppid.disdik"))
    entry_id = await dip_entry(docs.database_url)
    other_id = await dip_entry(docs.database_url)
    doc = (await upload(docs.client, dip_path(entry_id), pdf(), editor)).json()

    assert (await docs.client.delete(f"{dip_path(entry_id)}/{doc['id']}")).status_code == 401
    forbidden = await docs.client.delete(f"{dip_path(entry_id)}/{doc['id']}", headers=disdik)
    assert forbidden.status_code == 403
    wrong_entry = await docs.client.delete(f"{dip_path(other_id)}/{doc['id']}", headers=editor)
    assert wrong_entry.status_code == 404
    assert len(await all_keys(docs.store)) == 1


async def test_fields_after_the_file_and_malformed_bodies(docs: Docs, minter: Minter) -> None:
    editor = minter.official(demo_account("ppid.dinkes"))
    entry_id = await dip_entry(docs.database_url)
    data = pdf(10_000)
    boundary = "terbuka-boundary-42"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + (
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n'
            f"Judul di belakang\r\n--{boundary}--\r\n"
        ).encode()
    )
    headers = {**editor, "Content-Type": f"multipart/form-data; boundary={boundary}"}

    created = await docs.client.post(dip_path(entry_id), content=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["title"] == "Judul di belakang"
    assert created.json()["size"] == len(data)

    truncated = await docs.client.post(dip_path(entry_id), content=body[:-200], headers=headers)
    assert truncated.status_code == 400, truncated.text
    not_multipart = await docs.client.post(
        dip_path(entry_id), content=data, headers={**editor, "Content-Type": "application/pdf"}
    )
    assert not_multipart.status_code == 415
    no_file = await docs.client.post(
        dip_path(entry_id), files={"title": (None, "x")}, headers=editor
    )
    assert no_file.status_code == 422
    assert len(await all_keys(docs.store)) == 1
