"""The exports' contents: CSV, JSON lines, DCAT JSON-LD, Atom; filters, validators, tombstones."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import httpx
import pytest
from registry_service.feed.formats import CSV_HEADERS
from registry_service.models import DipCategory
from registry_service.public import DipEntryWithDocuments
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.registry.feed.support import OTHER_ROOT, TODAY, add_published, new_entry, withdraw
from tests.registry.harness import ROOT_ID
from tests.services.support import engine_for

ATOM = "{http://www.w3.org/2005/Atom}"
EXPORTS = (
    "/v1/dip/export.csv",
    "/v1/dip/export.jsonl",
    "/v1/dip/catalog.jsonld",
    "/v1/dip/feed.atom",
)
GATEWAY = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.contoh.go.id"}
BASE = "https://data.contoh.go.id"
TRICKY = 'Anggaran <b>"2024"</b> & realisasi,\nbaris kedua'


@dataclass(frozen=True)
class Seeded:
    berkala: uuid.UUID
    serta_merta: uuid.UUID
    other_root: uuid.UUID
    withdrawn: uuid.UUID
    draft: uuid.UUID


@pytest.fixture(scope="module")
async def seeded(registry_database: str) -> AsyncIterator[Seeded]:
    async with engine_for(registry_database) as engine:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            berkala = await add_published(
                session,
                new_entry(
                    "DIP-001",
                    title='=HYPERLINK("http://evil")',
                    summary=TRICKY,
                    holder_official="Kepala Dinas Kesehatan",
                    responsible_official="Sekretaris Dinas",
                    information_date=TODAY,
                    information_place="Bukittinggi",
                    available_formats=["softcopy", "hardcopy"],
                    retention_period="10 tahun",
                    tags=["anggaran", "kesehatan"],
                ),
                "lra-2024.pdf",
                "lampiran.pdf",
            )
            serta_merta = await add_published(
                session,
                new_entry("DIP-002", category=DipCategory.SERTA_MERTA, title="Peringatan banjir"),
            )
            other = await add_published(session, new_entry("DIP-900", root_id=OTHER_ROOT))
            gone = await add_published(session, new_entry("DIP-003", title="Akan ditarik"))
            draft = new_entry("DIP-004", published=False)
            session.add(draft)
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            await withdraw(session, gone.id)
        yield Seeded(berkala.id, serta_merta.id, other.id, gone.id, draft.id)


async def test_csv(registry: httpx.AsyncClient, seeded: Seeded) -> None:
    response = await registry.get("/v1/dip/export.csv", headers=GATEWAY)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv; charset=utf-8")
    assert response.headers["content-disposition"] == 'attachment; filename="dip.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    assert b"\r\n" in response.content
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert list(rows[0].keys()) == CSV_HEADERS
    assert CSV_HEADERS[:7] == [
        "Nomor",
        "Ringkasan Isi Informasi",
        "Pejabat/Unit/Satuan Kerja yang Menguasai Informasi",
        "Penanggung Jawab Pembuatan atau Penerbitan Informasi",
        "Waktu dan Tempat Pembuatan Informasi",
        "Bentuk Informasi yang Tersedia",
        "Jangka Waktu Penyimpanan",
    ]
    by_id = {row["ID"]: row for row in rows}
    assert set(by_id) == {str(seeded.berkala), str(seeded.serta_merta), str(seeded.other_root)}
    first = by_id[str(seeded.berkala)]
    assert first["Ringkasan Isi Informasi"] == TRICKY  # commas, quotes, newline survive
    assert first["Judul"] == '\'=HYPERLINK("http://evil")'  # no formula for spreadsheets
    assert first["Waktu dan Tempat Pembuatan Informasi"] == "2025-02-14, Bukittinggi"
    assert first["Bentuk Informasi yang Tersedia"] == "softcopy; hardcopy"
    documents = first["Dokumen"].split("; ")
    assert len(documents) == 2
    assert all(
        url.startswith(f"{BASE}/v1/dip/entries/{seeded.berkala}/documents/") for url in documents
    )

    only_root = await registry.get("/v1/dip/export.csv", params={"root": str(ROOT_ID)})
    rows = list(csv.DictReader(io.StringIO(only_root.content.decode("utf-8-sig"), newline="")))
    assert {row["ID"] for row in rows} == {str(seeded.berkala), str(seeded.serta_merta)}


async def test_jsonl(registry: httpx.AsyncClient, seeded: Seeded) -> None:
    response = await registry.get("/v1/dip/export.jsonl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert response.headers["content-disposition"] == 'attachment; filename="dip.jsonl"'
    lines = response.content.decode().splitlines()
    entries = [DipEntryWithDocuments.model_validate(json.loads(line)) for line in lines]
    assert {e.id for e in entries} == {seeded.berkala, seeded.serta_merta, seeded.other_root}
    berkala = next(e for e in entries if e.id == seeded.berkala)
    assert berkala.summary == TRICKY
    assert sorted(d.filename for d in berkala.documents) == ["lampiran.pdf", "lra-2024.pdf"]
    # The same representation as the entry's last change in the feed.
    changes = (await registry.get("/v1/dip/changes", params={"limit": 200})).json()["items"]
    last = [c for c in changes if c["entry_id"] == str(seeded.berkala)][-1]
    assert last["entry"] == json.loads(lines[[e.id for e in entries].index(seeded.berkala)])

    other = await registry.get("/v1/dip/export.jsonl", params={"root": str(OTHER_ROOT)})
    assert [json.loads(line)["id"] for line in other.text.splitlines()] == [str(seeded.other_root)]


def _expand(term: str, context: dict[str, str]) -> str:
    prefix, _, local = term.partition(":")
    return context[prefix] + local if prefix in context and not local.startswith("//") else term


async def test_dcat_catalog(registry: httpx.AsyncClient, seeded: Seeded) -> None:
    response = await registry.get("/v1/dip/catalog.jsonld", headers=GATEWAY)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    catalog = json.loads(response.content)
    context = catalog["@context"]
    assert _expand(catalog["@type"], context) == "http://www.w3.org/ns/dcat#Catalog"
    assert catalog["@id"] == f"{BASE}/v1/dip/catalog.jsonld"
    datasets = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    assert set(datasets) == {str(seeded.berkala), str(seeded.serta_merta), str(seeded.other_root)}
    for dataset in datasets.values():
        assert _expand(dataset["@type"], context) == "http://www.w3.org/ns/dcat#Dataset"
        assert dataset["@id"] == f"{BASE}/v1/dip/entries/{dataset['dct:identifier']}"
        assert dataset["dct:issued"]["@type"] == "xsd:dateTime"
        assert dataset["dct:publisher"]["@id"].startswith(f"{BASE}/v1/units/")
    berkala = datasets[str(seeded.berkala)]
    assert berkala["dct:title"] == '=HYPERLINK("http://evil")'  # exact: JSON needs no guard
    assert berkala["dct:description"] == TRICKY
    assert berkala["dcat:keyword"] == ["anggaran", "kesehatan"]
    assert berkala["dcat:theme"]["@id"] == f"{BASE}/v1/dip/entries?category=berkala"
    [first, _] = berkala["dcat:distribution"]
    assert _expand(first["@type"], context) == "http://www.w3.org/ns/dcat#Distribution"
    assert first["dcat:downloadURL"]["@id"].startswith(f"{BASE}/v1/dip/entries/{seeded.berkala}/")
    assert first["dcat:accessURL"] == first["dcat:downloadURL"]
    assert first["dcat:mediaType"]["@id"].endswith("/application/pdf")
    assert first["dcat:byteSize"]["@value"] == str(len(b"lra-2024.pdf"))
    assert len(first["spdx:checksum"]["spdx:checksumValue"]["@value"]) == 64
    assert _expand(first["spdx:checksum"]["spdx:algorithm"]["@id"], context) == (
        "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
    )

    only_other = await registry.get("/v1/dip/catalog.jsonld", params={"root": str(OTHER_ROOT)})
    body = only_other.json()
    assert [d["dct:identifier"] for d in body["dcat:dataset"]] == [str(seeded.other_root)]
    assert body["dct:publisher"]["@id"].endswith(f"/v1/units/{OTHER_ROOT}")


async def test_atom_feed(registry: httpx.AsyncClient, seeded: Seeded) -> None:
    response = await registry.get("/v1/dip/feed.atom", headers=GATEWAY)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own service's output)
    assert feed.tag == f"{ATOM}feed"
    assert (feed.findtext(f"{ATOM}id") or "").startswith("urn:uuid:")
    assert feed.findtext(f"{ATOM}updated")
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href") == f"{BASE}/v1/dip/feed.atom"
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert set(ids) == {
        f"urn:uuid:{i}" for i in (seeded.berkala, seeded.serta_merta, seeded.other_root)
    }
    published = [e.findtext(f"{ATOM}published") or "" for e in entries]
    assert published == sorted(published, reverse=True)  # newest first
    serta = entries[ids.index(f"urn:uuid:{seeded.serta_merta}")]
    category = serta.find(f"{ATOM}category")
    assert category is not None
    assert category.get("term") == "serta_merta"
    berkala = entries[ids.index(f"urn:uuid:{seeded.berkala}")]
    assert (
        berkala.findtext(f"{ATOM}summary") == TRICKY
    )  # escaped on the way out, intact on the way in
    enclosures = berkala.findall(f"{ATOM}link[@rel='enclosure']")
    assert [link.get("length") for link in enclosures] == ["12", "12"]
    assert all((link.get("href") or "").startswith(BASE) for link in enclosures)

    filtered = await registry.get("/v1/dip/feed.atom", params={"root": str(OTHER_ROOT)})
    root_only = ET.fromstring(filtered.content)  # noqa: S314 (our own service's output)
    assert [e.findtext(f"{ATOM}id") for e in root_only.findall(f"{ATOM}entry")] == [
        f"urn:uuid:{seeded.other_root}"
    ]


@pytest.mark.parametrize("path", EXPORTS)
async def test_conditional_gets(
    registry: httpx.AsyncClient, seeded: Seeded, registry_database: str, path: str
) -> None:
    first = await registry.get(path)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    again = await registry.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    # Another host gets other absolute links, so another validator (JSON lines: relative).
    elsewhere = await registry.get(path, headers={"If-None-Match": etag, **GATEWAY})
    assert elsewhere.status_code == (304 if path.endswith(".jsonl") else 200)
    # Any change of the public DIP changes every export's validator.
    async with (
        engine_for(registry_database) as engine,
        AsyncSession(engine, expire_on_commit=False) as session,
        session.begin(),
    ):
        await add_published(
            session, new_entry(f"DIP-C-{uuid.uuid4().hex[:8]}", root_id=uuid.uuid4())
        )
    changed = await registry.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


async def test_tombstoned_and_draft_entries_are_in_no_export(
    registry: httpx.AsyncClient, seeded: Seeded
) -> None:
    for path in EXPORTS:
        text = (await registry.get(path)).text
        assert str(seeded.withdrawn) not in text, path
        assert str(seeded.draft) not in text, path
        assert str(seeded.berkala) in text, path


async def test_forged_forwarded_host_is_ignored(
    registry: httpx.AsyncClient, seeded: Seeded
) -> None:
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": 'evil"><x y="'}
    body = (await registry.get("/v1/dip/catalog.jsonld", headers=forged)).json()
    assert body["@id"] == "http://testserver/v1/dip/catalog.jsonld"
