"""Issue 4, end to end through the gateway: an official publishes, the public finds it.

The stack is what `make run` starts (demo data included). Officials log in through
auth; everything else goes through the gateway to the registry.
"""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from auth_service.demo.data import DemoAccount, demo_id

from tests.e2e.launcher import launched
from tests.support.authstack import demo_account as official

# A real (tiny) PDF: the registry sniffs the bytes, not the name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The first bytes of a Windows executable, under a name that claims PDF.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240


@pytest.fixture(scope="module")
def gateway(pg_server: object) -> Iterator[httpx.Client]:
    with launched() as stack, httpx.Client(base_url=stack.url(), timeout=30) as client:
        yield client


def bearer_of(gateway: httpx.Client, who: DemoAccount) -> dict[str, str]:
    response = gateway.post("/v1/auth/login", json={"email": who.email, "password": who.password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def changes_until(gateway: httpx.Client, entry_id: str) -> list[dict[str, Any]]:
    """Follow the feed from the start until it shows `entry_id` (or give up)."""
    seen: list[dict[str, Any]] = []
    cursor: str | None = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        params = {"limit": "200", **({"cursor": cursor} if cursor else {})}
        page = gateway.get("/v1/dip/changes", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        seen.extend(body["items"])
        if any(item["entry_id"] == entry_id for item in seen):
            return seen
        if not body["items"]:
            time.sleep(0.2)
        cursor = body["next_cursor"]
    return seen


def test_an_official_publishes_an_entry_the_public_finds_downloads_and_harvests(
    gateway: httpx.Client,
) -> None:
    dinkes = bearer_of(gateway, official("ppid.dinkes"))
    disdik = bearer_of(gateway, official("ppid.disdik"))
    dinkes_unit = official("ppid.dinkes").unit_code
    assert dinkes_unit is not None
    unit_id = str(demo_id(dinkes_unit))

    draft = {
        "unit_id": unit_id,
        "number": f"DIP-E2E-{uuid.uuid4().hex[:8]}",
        "title": "Penganggaran Dinas Kesehatan Tahun 2027",
        "summary": "Rencana penganggaran program kesehatan masyarakat dan puskesmas.",
        "category": "berkala",
        "year": 2027,
        "responsible_official": "Sekretaris Dinas Kesehatan",
        "holder_official": "Kepala Dinas Kesehatan",
        "information_date": "2026-11-20",
        "information_place": "Kota Contoh",
        "available_formats": ["softcopy"],
        "retention_period": "10 tahun",
        "tags": ["anggaran", "kesehatan"],
    }
    created = gateway.post(
        "/v1/dip/entries",
        json=draft,
        headers={**dinkes, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert created.status_code == 201, created.text
    entry_id = created.json()["id"]

    refused = gateway.post(
        f"/v1/dip/entries/{entry_id}/documents",
        files={"file": ("anggaran.pdf", EXE, "application/pdf")},
        headers=dinkes,
    )
    assert refused.status_code == 415, refused.text
    uploaded = gateway.post(
        f"/v1/dip/entries/{entry_id}/documents",
        files={"file": ("anggaran.pdf", PDF, "application/pdf")},
        data={"title": "Dokumen penganggaran"},
        headers=dinkes,
    )
    assert uploaded.status_code == 201, uploaded.text

    current = gateway.get(f"/v1/dip/manage/entries/{entry_id}", headers=dinkes)
    assert current.status_code == 200, current.text
    published = gateway.post(
        f"/v1/dip/entries/{entry_id}/publish",
        json={},
        headers={**dinkes, "If-Match": current.headers["etag"]},
    )
    assert published.status_code == 200, published.text

    # Anonymous: an inflected query finds it (peng-anggar-an ~ anggar-an).
    found = gateway.get("/v1/dip/entries", params={"q": "anggaran kesehatan"})
    assert found.status_code == 200, found.text
    hits = [item for item in found.json()["items"] if item["id"] == entry_id]
    assert hits, found.json()
    detail = gateway.get(f"/v1/dip/entries/{entry_id}")
    assert detail.status_code == 200
    [document] = detail.json()["documents"]
    downloaded = gateway.get(document["url"], follow_redirects=True)
    assert downloaded.status_code == 200
    assert downloaded.content == PDF
    assert downloaded.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in downloaded.headers["content-disposition"]

    changes = changes_until(gateway, entry_id)
    mine = [c for c in changes if c["entry_id"] == entry_id]
    assert mine, "the feed shows the publication"
    assert mine[-1]["kind"] == "upsert"
    assert mine[-1]["entry"]["title"] == draft["title"]

    exported = gateway.get("/v1/dip/export.csv")
    assert exported.status_code == 200
    assert draft["number"] in {row[0] for row in csv.reader(io.StringIO(exported.text))}
    lines = gateway.get("/v1/dip/export.jsonl").text.splitlines()
    assert entry_id in {json.loads(line)["id"] for line in lines if line}
    catalog = gateway.get("/v1/dip/catalog.jsonld")
    assert catalog.status_code == 200
    assert entry_id in catalog.text
    atom = ElementTree.fromstring(gateway.get("/v1/dip/feed.atom").content)  # noqa: S314 (ours)
    ids = [e.text or "" for e in atom.iter("{http://www.w3.org/2005/Atom}id")]
    assert any(entry_id in i for i in ids)

    # Dinas Pendidikan's PPID Pelaksana may not change Dinas Kesehatan's entry.
    fresh = gateway.get(f"/v1/dip/manage/entries/{entry_id}", headers=dinkes)
    changed = gateway.patch(
        f"/v1/dip/entries/{entry_id}",
        json={"title": "Diubah oleh unit lain"},
        headers={**disdik, "If-Match": fresh.headers["etag"]},
    )
    assert changed.status_code == 403, changed.text
    assert changed.headers["content-type"].startswith("application/problem+json")
