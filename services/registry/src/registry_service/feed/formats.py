"""The four export formats of the public DIP, each a generator of byte chunks.

- CSV (RFC 4180, CRLF, every field quoted when needed): the seven mandatory columns of
  the DIP (DOMAIN.md 5.1, Perki 1/2010 Lampiran II) first, with their Indonesian
  headers, then the other fields. UTF-8 **with a BOM**: Excel, which most PPID offices
  open CSV files with, reads UTF-8 only with it (without it any non-ASCII text, such as
  a dash or an accented name, turns into mojibake); Python's `utf-8-sig`, LibreOffice
  and pandas skip it. Text cells that a spreadsheet would run as a formula (starting
  with `=`, `+`, `-`, `@`, tab or CR) get a leading `'` (OWASP CSV injection); the JSON
  lines export keeps the exact values for programs.
- JSON lines: one `DipEntryWithDocuments` per line, as `GET /v1/dip/entries/{id}` shows it.
- DCAT-AP in JSON-LD: one `dcat:Catalog` whose `dcat:dataset` are the entries, each with
  a `dcat:Distribution` per document (what CKAN's ckanext-dcat RDF harvester reads).
- Atom (RFC 4287): the newest publications and the serta-merta entries.

All links in the catalog and the feed are absolute, from `feed.urls.public_base_url`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable
from contextlib import aclosing
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from registry_service.public import DipEntryWithDocuments

Batches = AsyncGenerator[list[DipEntryWithDocuments], None]

# ---------------------------------------------------------------------------- CSV

CSV_MEDIA_TYPE = "text/csv; charset=utf-8; header=present"
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _joined(values: Iterable[str]) -> str:
    return _text("; ".join(values))


def _when_and_where(entry: DipEntryWithDocuments) -> str:
    parts = [
        entry.information_date.isoformat() if entry.information_date else "",
        entry.information_place or "",
    ]
    return _text(", ".join(part for part in parts if part))


def _csv_columns(base_url: str) -> list[tuple[str, Callable[[DipEntryWithDocuments], str]]]:
    """(header, cell) pairs: the seven columns of Perki 1/2010 Lampiran II first."""
    return [
        ("Nomor", lambda e: _text(e.number)),
        ("Ringkasan Isi Informasi", lambda e: _text(e.summary)),
        (
            "Pejabat/Unit/Satuan Kerja yang Menguasai Informasi",
            lambda e: _text(e.holder_official) or str(e.unit_id),
        ),
        (
            "Penanggung Jawab Pembuatan atau Penerbitan Informasi",
            lambda e: _text(e.responsible_official),
        ),
        ("Waktu dan Tempat Pembuatan Informasi", _when_and_where),
        (
            "Bentuk Informasi yang Tersedia",
            lambda e: _joined(str(f) for f in e.available_formats),
        ),
        ("Jangka Waktu Penyimpanan", lambda e: _text(e.retention_period)),
        ("Judul", lambda e: _text(e.title)),
        ("Kategori", lambda e: str(e.category)),
        ("Subkategori", lambda e: _text(e.subcategory)),
        ("Tahun", lambda e: str(e.year)),
        ("Media", lambda e: _joined(str(m) for m in e.media)),
        ("Tag", lambda e: _joined(e.tags)),
        ("Nomor SK Penetapan", lambda e: _text(e.decree_reference)),
        ("Tautan", lambda e: _joined(link.get("url", "") for link in e.links)),
        ("Dokumen", lambda e: _joined(base_url + d.url for d in e.documents)),
        ("ID", lambda e: str(e.id)),
        ("ID Badan Publik", lambda e: str(e.root_id)),
        ("ID Unit", lambda e: str(e.unit_id)),
        ("Tanggal Publikasi", lambda e: e.published_at.isoformat()),
        ("Tanggal Pembaruan", lambda e: e.updated_at.isoformat()),
    ]


CSV_HEADERS = [header for header, _ in _csv_columns("")]


async def csv_chunks(batches: Batches, *, base_url: str) -> AsyncIterator[bytes]:
    columns = _csv_columns(base_url)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: CRLF, "" inside quotes
    buffer.write(BOM)
    writer.writerow(CSV_HEADERS)
    yield buffer.getvalue().encode()
    async with aclosing(batches):
        async for batch in batches:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerows([cell(entry) for _, cell in columns] for entry in batch)
            yield buffer.getvalue().encode()


# ---------------------------------------------------------------------- JSON lines

JSONL_MEDIA_TYPE = "application/x-ndjson"


async def jsonl_chunks(batches: Batches) -> AsyncIterator[bytes]:
    async with aclosing(batches):
        async for batch in batches:
            yield "".join(entry.model_dump_json() + "\n" for entry in batch).encode()


# ------------------------------------------------------------------ DCAT (JSON-LD)

JSONLD_MEDIA_TYPE = "application/ld+json"
DCAT_CONTEXT: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
LANGUAGE_ID = "http://publications.europa.eu/resource/authority/language/IND"
CATEGORY_LABELS = {"berkala": "Berkala", "serta_merta": "Serta Merta", "setiap_saat": "Setiap Saat"}


def _datetime(value: datetime) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _publisher(base_url: str, root_id: uuid.UUID) -> dict[str, Any]:
    # The badan publik as auth's public directory names it (`GET /v1/units/{id}`).
    return {"@id": f"{base_url}/v1/units/{root_id}", "@type": "foaf:Organization"}


def dcat_dataset(entry: DipEntryWithDocuments, base_url: str) -> dict[str, Any]:
    """One entry as a `dcat:Dataset` (DCAT-AP 2/3; the properties ckanext-dcat maps)."""
    landing = f"{base_url}/v1/dip/entries/{entry.id}"
    dataset: dict[str, Any] = {
        "@id": landing,
        "@type": "dcat:Dataset",
        "dct:identifier": str(entry.id),
        "dct:title": entry.title,
        "dct:description": entry.summary,
        "dct:issued": _datetime(entry.published_at),
        "dct:modified": _datetime(entry.updated_at),
        "dct:publisher": _publisher(base_url, entry.root_id),
        "dct:language": {"@id": LANGUAGE_ID},
        "dcat:landingPage": {"@id": landing},
        "dcat:keyword": list(entry.tags),
        # The category as a concept: the public list of that category is its page.
        "dcat:theme": {"@id": f"{base_url}/v1/dip/entries?category={entry.category}"},
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{entry.year}-01-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{entry.year}-12-31", "@type": "xsd:date"},
        },
        "dcat:distribution": [
            {
                "@id": base_url + document.url,
                "@type": "dcat:Distribution",
                "dct:identifier": str(document.id),
                "dct:title": document.title or document.filename,
                "dct:issued": _datetime(document.created_at),
                "dcat:accessURL": {"@id": base_url + document.url},
                "dcat:downloadURL": {"@id": base_url + document.url},
                "dcat:mediaType": {
                    "@id": f"https://www.iana.org/assignments/media-types/{document.content_type}"
                },
                "dct:format": document.content_type,
                "dcat:byteSize": {"@value": str(document.size), "@type": "xsd:nonNegativeInteger"},
                "spdx:checksum": {
                    "@type": "spdx:Checksum",
                    "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                    "spdx:checksumValue": {"@value": document.sha256, "@type": "xsd:hexBinary"},
                },
            }
            for document in entry.documents
        ],
    }
    if entry.number:
        dataset["dct:alternative"] = entry.number
    if entry.responsible_official:
        dataset["dct:creator"] = {"@type": "foaf:Agent", "foaf:name": entry.responsible_official}
    return dataset


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def dcat_chunks(
    batches: Batches, *, base_url: str, self_url: str, root: uuid.UUID | None
) -> AsyncIterator[bytes]:
    """`{"@context":…, "@type":"dcat:Catalog", …, "dcat:dataset":[` datasets `]}`."""
    catalog: dict[str, Any] = {
        "@context": DCAT_CONTEXT,
        "@id": self_url,
        "@type": "dcat:Catalog",
        "dct:title": "Daftar Informasi Publik (DIP)",
        "dct:description": (
            "Informasi publik yang telah dipublikasikan menurut UU 14/2008 "
            "(Public information published under Law 14/2008)."
        ),
        "dct:language": {"@id": LANGUAGE_ID},
        "foaf:homepage": {"@id": f"{base_url}/v1/dip/entries"},
    }
    if root is not None:
        catalog["dct:publisher"] = _publisher(base_url, root)
    head = _dumps(catalog)
    yield (head[:-1] + ',"dcat:dataset":[').encode()
    first = True
    async with aclosing(batches):
        async for batch in batches:
            parts = [_dumps(dcat_dataset(entry, base_url)) for entry in batch]
            if parts:
                yield (("" if first else ",") + ",".join(parts)).encode()
                first = False
    yield b"]}"


# ---------------------------------------------------------------------------- Atom

ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 100
# Characters XML 1.0 does not allow, even escaped (C0 controls but tab, LF, CR; U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot carry (escaping is the writer's job)."""
    return _NOT_XML.sub("", value)


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_entry(entry: DipEntryWithDocuments, base_url: str) -> bytes:
    """One `<entry>`; ElementTree escapes every text and attribute."""
    element = ET.Element("entry")
    _sub(element, "id", f"urn:uuid:{entry.id}")
    _sub(element, "title", f"{entry.number} — {entry.title}", type="text")
    _sub(element, "updated", _rfc3339(entry.updated_at))
    _sub(element, "published", _rfc3339(entry.published_at))
    author = _sub(element, "author")
    _sub(author, "name", entry.responsible_official or entry.holder_official or "PPID")
    _sub(
        element,
        "link",
        rel="alternate",
        type="application/json",
        href=f"{base_url}/v1/dip/entries/{entry.id}",
    )
    for document in entry.documents:
        _sub(
            element,
            "link",
            rel="enclosure",
            type=document.content_type,
            length=str(document.size),
            title=document.title or document.filename,
            href=base_url + document.url,
        )
    category = str(entry.category)
    _sub(element, "category", term=category, label=CATEGORY_LABELS.get(category, category))
    for tag in entry.tags:
        _sub(element, "category", term=tag)
    _sub(element, "summary", entry.summary, type="text")
    serialized: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=False)
    return serialized


async def atom_chunks(
    entries: list[DipEntryWithDocuments],
    *,
    base_url: str,
    self_url: str,
    feed_id: uuid.UUID,
    fallback_updated: datetime | None,
) -> AsyncIterator[bytes]:
    """The feed, newest first. Its `updated` is its newest entry's (or the last change's)."""
    newest = max((entry.updated_at for entry in entries), default=None)
    updated = newest or fallback_updated or _EPOCH
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="{ATOM_NS}" xml:lang="id">'
        f"<id>urn:uuid:{feed_id}</id>"
        "<title>Daftar Informasi Publik: terbaru dan serta merta</title>"
        "<subtitle>Informasi publik yang baru dipublikasikan dan informasi serta merta "
        "(newly published and immediate public information)</subtitle>"
        f"<updated>{_rfc3339(updated)}</updated>"
        f'<link rel="self" type="application/atom+xml" href={quoteattr(xml_text(self_url))}/>'
        f'<link rel="alternate" type="application/json" '
        f"href={quoteattr(xml_text(base_url + '/v1/dip/entries'))}/>"
        f"<author><name>{escape('PPID')}</name></author>"
        "<generator>Terbuka</generator>"
    )
    yield head.encode()
    for entry in entries:
        yield atom_entry(entry, base_url)
    yield b"</feed>"
