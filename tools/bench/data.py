"""The bench data set: a province (36 roots, 1 500 units, 200 000 DIP entries, 100 000 requests).

Written with set-based SQL (`generate_series`), which is what makes it fast: a few statements,
no round trip per row. Ids derive from md5 of a label, so the three databases agree on them
without talking to each other. A comment on each database records the generator version: the
data is reused when it is already there.
"""

from __future__ import annotations

import asyncio

import asyncpg

VERSION = "terbuka-bench-data-v1"
ROOTS = 36
UNITS = 1500  # roots included
DIP_ENTRIES = 200_000
REQUESTS = 100_000
CHILDREN = UNITS - ROOTS

_ROOT = "md5('bench-root-' || ({i}))::uuid"
_UNIT = "md5('bench-unit-' || ({i}))::uuid"

AUTH_SQL = [
    f"""
    INSERT INTO units (id, code, name, kind, parent_id, root_id, ppid, time_zone)
    SELECT {_ROOT.format(i="r")}, 'bench-root-' || r, 'Pemerintah Kabupaten Bench ' || r,
           'badan_publik', NULL, {_ROOT.format(i="r")}, 'utama', 'Asia/Jakarta'
    FROM generate_series(0, {ROOTS - 1}) AS r
    """,  # noqa: S608 - constants only, no input reaches them
    f"""
    INSERT INTO units (id, code, name, kind, parent_id, root_id, ppid)
    SELECT {_UNIT.format(i="u")}, 'bench-unit-' || u, 'Dinas Bench ' || u, 'opd',
           {_ROOT.format(i=f"u % {ROOTS}")}, {_ROOT.format(i=f"u % {ROOTS}")}, 'pelaksana'
    FROM generate_series(0, {CHILDREN - 1}) AS u
    """,  # noqa: S608 - constants only, no input reaches them
]

_WORDS = (
    "ARRAY['anggaran','kesehatan','pendidikan','jalan','puskesmas','sekolah','pajak',"
    "'retribusi','perizinan','bantuan','sosial','pertanian','irigasi','pasar','air',"
    "'sampah','banjir','stunting','imunisasi','beasiswa']"
)

REGISTRY_SQL = [
    f"""
    INSERT INTO dip_entries (id, root_id, unit_id, number, title, summary, category, year,
        responsible_official, available_formats, status, published_at, created_at,
        updated_at, media, tags)
    SELECT md5('bench-dip-' || g)::uuid,
           {_ROOT.format(i=f"(g % {CHILDREN}) % {ROOTS}")},
           {_UNIT.format(i=f"g % {CHILDREN}")},
           'DIP-' || g,
           'Laporan ' || w[1 + g % 20] || ' dan ' || w[1 + (g / 20) % 20] || ' tahun '
               || (2015 + g % 11),
           'Ringkasan informasi tentang ' || w[1 + (g / 7) % 20] || ', '
               || w[1 + (g / 3) % 20] || ' dan ' || w[1 + (g / 11) % 20]
               || ' yang dikelola unit ini untuk masyarakat.',
           (ARRAY['berkala','serta_merta','setiap_saat'])[1 + g % 3],
           2015 + g % 11,
           'Kepala Dinas',
           ARRAY['softcopy']::varchar[],
           'published',
           now() - make_interval(secs => g * 60),
           now() - make_interval(secs => g * 60),
           now() - make_interval(secs => g * 60),
           ARRAY['website']::varchar[],
           ARRAY[w[1 + g % 20]]::varchar[]
    FROM generate_series(1, {DIP_ENTRIES}) AS g, (SELECT {_WORDS} AS w) AS words
    """,  # noqa: S608 - constants only, no input reaches them
    """
    INSERT INTO dip_changes (seq, entry_id, root_id, kind, entry, committed_at)
    SELECT row_number() OVER (ORDER BY updated_at, id), id, root_id, 'upsert',
           jsonb_build_object('id', id, 'root_id', root_id, 'unit_id', unit_id,
               'number', number, 'title', title, 'summary', summary, 'category', category,
               'year', year, 'status', status, 'updated_at', updated_at),
           updated_at
    FROM dip_entries WHERE number LIKE 'DIP-%'
    """,
    "UPDATE dip_feed_counter SET last_seq = (SELECT coalesce(max(seq), 0) FROM dip_changes)",
    "ANALYZE dip_entries",
    "ANALYZE dip_changes",
]

REQUESTS_SQL = [
    f"""
    INSERT INTO information_requests (id, root_id, target_unit_id, unit_id, year, seq,
        registration_number, channel, requester_category, information_requested, purpose,
        access_method, copy_format, delivery_method, state, received_at, receipt_date,
        notice_due, calendar_version, time_zone, tracking_secret_hash)
    SELECT md5('bench-request-' || g)::uuid,
           {_ROOT.format(i=f"(g % {CHILDREN}) % {ROOTS}")},
           {_UNIT.format(i=f"g % {CHILDREN}")},
           {_UNIT.format(i=f"g % {CHILDREN}")},
           2025, g, 'BENCH/' || g, 'online', 'perorangan',
           'Salinan data anggaran tahun 2025', 'Penelitian', 'obtain_copy', 'softcopy',
           'email', 'received',
           timestamptz '2025-01-01' + make_interval(secs => g * 300),
           (timestamptz '2025-01-01' + make_interval(secs => g * 300))::date,
           (timestamptz '2025-01-01' + make_interval(secs => g * 300))::date + 14,
           0, 'Asia/Jakarta', md5('bench-secret-' || g) || md5('x' || g)
    FROM generate_series(1, {REQUESTS}) AS g
    """,  # noqa: S608 - constants only, no input reaches them
    "ANALYZE information_requests",
]

SCRIPTS = {"auth": AUTH_SQL, "registry": REGISTRY_SQL, "requests": REQUESTS_SQL}


def libpq(url: str) -> str:
    """An asyncpg DSN from a SQLAlchemy URL (`postgresql+asyncpg://…`)."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _fill(name: str, url: str) -> bool:
    conn = await asyncpg.connect(libpq(url))
    try:
        database = await conn.fetchval("SELECT current_database()")
        marker = await conn.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            database,
        )
        if marker == VERSION:
            return False
        async with conn.transaction():
            for sql in SCRIPTS[name]:
                if not sql.startswith("ANALYZE"):
                    await conn.execute(sql)
        for sql in SCRIPTS[name]:
            if sql.startswith("ANALYZE"):
                await conn.execute(sql)
        await conn.execute(f"COMMENT ON DATABASE \"{database}\" IS '{VERSION}'")
        return True
    finally:
        await conn.close()


def ensure(urls: dict[str, str]) -> None:
    """Fill the three bench databases unless they already hold this version's data."""
    for name in ("auth", "registry", "requests"):
        made = asyncio.run(_fill(name, urls[name]))
        print(f"bench: {name} data {'generated' if made else 'reused'}", flush=True)
