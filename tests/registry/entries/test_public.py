"""The public DIP: full-text search (Indonesian stemming, ranking, snippets), filters with
sub-units, keyset pages in both orders, ETag/304."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
from auth_service.demo.data import KECAMATAN, KELURAHAN

from tests.registry.entries.support import Json, create, published
from tests.registry.harness import DINKES_ID, ROOT_ID, Minter, official
from tests.services.support import next_url


def unique_tag() -> str:
    return f"uji-{uuid.uuid4().hex[:10]}"


async def listed(client: httpx.AsyncClient, **params: Any) -> list[Json]:
    response = await client.get("/v1/dip/entries", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    items: list[Json] = response.json()["items"]
    return items


async def all_pages(client: httpx.AsyncClient, **params: Any) -> list[list[Json]]:
    pages: list[list[Json]] = []
    url: str | None = "/v1/dip/entries"
    query: dict[str, Any] | None = params
    while url is not None:
        response = await client.get(url, params=query)
        assert response.status_code == 200, response.text
        pages.append(response.json()["items"])
        assert (response.json()["next_cursor"] is None) == (next_url(response) is None)
        url, query = next_url(response), None
    return pages


async def test_search_finds_inflected_words_ranks_and_highlights(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    tag = unique_tag()
    best = await published(
        registry,
        minter,
        title="Penganggaran Dinas Kesehatan",
        summary="Dokumen penganggaran program kesehatan masyarakat.",
        tags=[tag],
    )
    weaker = await published(
        registry,
        minter,
        title="Laporan kegiatan sekolah",
        summary="Ringkasan anggaran untuk kesehatan siswa.",
        tags=[tag],
    )
    await published(registry, minter, title="Jadwal imunisasi", summary="Lain.", tags=[tag])
    await create(
        registry,
        official(minter, "ppid.dinkes"),
        title="Anggaran Kesehatan (draf)",
        tags=[tag],
    )

    hits = await listed(registry, q="anggaran kesehatan", tag=tag)
    assert [h["id"] for h in hits] == [best["id"], weaker["id"]]
    assert "<b>penganggaran</b>" in hits[0]["snippet"]
    assert "<b>kesehatan</b>" in hits[0]["snippet"]
    assert "<b>anggaran</b>" in hits[1]["snippet"]
    plain = await listed(registry, tag=tag)
    assert len(plain) == 3
    assert {item["snippet"] for item in plain} == {None}
    without = await listed(registry, q="anggaran -sekolah", tag=tag)
    assert [h["id"] for h in without] == [best["id"]]
    assert await listed(registry, q="vaksinasi", tag=tag) == []


async def test_search_pages_continue_after_rank_and_id(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    tag = unique_tag()
    for n in range(5):
        await published(
            registry,
            minter,
            title=f"Laporan {'laporan ' * n}tahunan",
            summary="Laporan keuangan." if n % 2 else "Ringkasan.",
            tags=[tag],
        )
    one_page = await listed(registry, q="laporan", tag=tag)
    pages = await all_pages(registry, q="laporan", tag=tag, limit=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [item["id"] for page in pages for item in page] == [item["id"] for item in one_page]
    assert len({item["id"] for item in one_page}) == 5

    plain = await registry.get("/v1/dip/entries", params={"tag": tag, "limit": 2})
    wrong_order = await registry.get(
        "/v1/dip/entries",
        params={"q": "laporan", "tag": tag, "limit": 2, "cursor": plain.json()["next_cursor"]},
    )
    assert wrong_order.status_code == 400
    assert wrong_order.json()["type"] == "/problems/invalid-cursor"


async def test_filters_include_sub_units(registry: httpx.AsyncClient, minter: Minter) -> None:
    tag = unique_tag()
    kecamatan = await published(registry, minter, unit_id=KECAMATAN.id, tags=[tag], year=2023)
    kelurahan = await published(
        registry, minter, unit_id=KELURAHAN.id, tags=[tag], category="serta_merta"
    )
    dinkes = await published(registry, minter, unit_id=DINKES_ID, tags=[tag, "kesehatan"])

    def ids(items: list[Json]) -> set[str]:
        return {item["id"] for item in items}

    assert ids(await listed(registry, tag=tag, unit_id=str(KECAMATAN.id))) == {
        kecamatan["id"],
        kelurahan["id"],
    }
    assert ids(await listed(registry, tag=tag, unit_id=str(KELURAHAN.id))) == {kelurahan["id"]}
    assert ids(await listed(registry, tag=tag, unit_id=str(ROOT_ID))) == {
        kecamatan["id"],
        kelurahan["id"],
        dinkes["id"],
    }
    assert ids(await listed(registry, tag=tag, category="serta_merta")) == {kelurahan["id"]}
    assert ids(await listed(registry, tag=tag, year=2023)) == {kecamatan["id"]}
    assert ids(await listed(registry, tag="kesehatan")) >= {dinkes["id"]}
    assert ids(await listed(registry, tag=tag, root=str(uuid.uuid4()))) == set()
    assert len(await listed(registry, tag=tag, root=str(ROOT_ID))) == 3
    after = datetime.fromisoformat(kelurahan["updated_at"])
    assert ids(await listed(registry, tag=tag, updated_after=after.isoformat())) == {dinkes["id"]}
    before = (after - timedelta(days=1)).isoformat()
    assert len(await listed(registry, tag=tag, updated_after=before)) == 3


async def test_plain_pages_etag_and_cache_headers(
    registry: httpx.AsyncClient, minter: Minter
) -> None:
    tag = unique_tag()
    made = [await published(registry, minter, tags=[tag]) for _ in range(3)]
    pages = await all_pages(registry, tag=tag, limit=2)
    assert [len(page) for page in pages] == [2, 1]
    assert [item["id"] for page in pages for item in page] == [e["id"] for e in reversed(made)]

    first = await registry.get("/v1/dip/entries", params={"tag": tag})
    assert first.headers["cache-control"] == "public, max-age=60"
    cached = await registry.get(
        "/v1/dip/entries", params={"tag": tag}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert (cached.status_code, cached.content) == (304, b"")

    detail = await registry.get(f"/v1/dip/entries/{made[0]['id']}")
    assert detail.status_code == 200
    assert detail.headers["cache-control"] == "public, max-age=60"
    assert detail.headers["last-modified"].endswith("GMT")
    again = await registry.get(
        f"/v1/dip/entries/{made[0]['id']}", headers={"If-None-Match": detail.headers["etag"]}
    )
    assert again.status_code == 304

    # A change of the entry changes its ETag.
    utama = official(minter, "ppid.utama")
    etag = (await registry.get(f"/v1/dip/manage/entries/{made[0]['id']}", headers=utama)).headers[
        "etag"
    ]
    patched = await registry.patch(
        f"/v1/dip/entries/{made[0]['id']}",
        json={"summary": "Ringkasan baru."},
        headers={**utama, "If-Match": etag},
    )
    assert patched.status_code == 200
    stale = await registry.get(
        f"/v1/dip/entries/{made[0]['id']}", headers={"If-None-Match": detail.headers["etag"]}
    )
    assert (stale.status_code, stale.json()["summary"]) == (200, "Ringkasan baru.")


async def test_bad_input_is_a_problem_in_the_callers_language(
    registry: httpx.AsyncClient,
) -> None:
    indonesian = await registry.get("/v1/dip/entries", params={"year": "99"})
    english = await registry.get(
        "/v1/dip/entries", params={"year": "99"}, headers={"Accept-Language": "en"}
    )
    assert (indonesian.status_code, english.status_code) == (422, 422)
    assert english.headers["content-type"] == "application/problem+json"
    assert indonesian.json()["title"] != english.json()["title"]
    assert english.json()["errors"]
    empty_q = await registry.get("/v1/dip/entries", params={"q": ""})
    assert empty_q.status_code == 422
