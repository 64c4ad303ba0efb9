"""Seeding the demo DIP: idempotent (what exists is left alone), one transaction.

Every row has a deterministic id (`demo_id`), so a second run finds everything and
changes nothing. Published entries get their versions (create, publish) and a change
in the feed, so `GET /v1/dip/changes` and the exports show them; a few berkala entries
are backdated past the policy's 30 days so the freshness report has something to show.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from ppid_kit.audit import write_audit
from ppid_kit.demo import demo_id
from ppid_kit.storage.base import ObjectStore
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from registry_service.access import Actor
from registry_service.demo import files
from registry_service.demo.data import (
    DIK_ENTRIES,
    ENTRIES,
    PLACE,
    ROOT_ID,
    UNIT_NAMES,
    UNIT_SHORT,
    DemoDik,
    DemoEntry,
    unit_id,
)
from registry_service.dik.models import DikEntry
from registry_service.documents.models import Document
from registry_service.entries.service import record_version
from registry_service.models import (
    DipDecree,
    DipEntry,
    DipPolicy,
    DipStatus,
    InfoFormat,
    Media,
    PublishMode,
    VersionAction,
)
from registry_service.public import record_public_change

# Two seeders at once (two `make run`s) wait for each other instead of colliding.
_SEED_LOCK = 0x7E5B_0C4A_DE30_0002
_ACTOR_ID = "demo"
_ACTOR_TYPE = "system"
_REASON = "Data demo"
_MAX_DEMO_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Summary:
    entries: int
    units: int
    documents: int
    dik_entries: int
    created: int


def entry_id(index: int) -> uuid.UUID:
    return demo_id(f"registry:dip:{index}")


def _texts(entry: DemoEntry, year: int) -> tuple[str, str]:
    values = {"year": year, "prev": year - 1}
    return entry.title.format(**values), entry.summary.format(**values)


async def _audit(
    session: AsyncSession,
    action: str,
    kind: str,
    object_id: uuid.UUID,
    unit: uuid.UUID,
    **details: Any,
) -> None:
    await write_audit(
        session,
        action=action,
        object_type=kind,
        object_id=object_id,
        actor_id=_ACTOR_ID,
        actor_type=_ACTOR_TYPE,
        unit_id=unit,
        details={"source": "demo", **details},
    )


async def _seed_entry(
    session: AsyncSession, index: int, demo: DemoEntry, year: int, now: datetime
) -> DipEntry | None:
    """The entry and its versions; None when it exists already."""
    ident = entry_id(index)
    if await session.get(DipEntry, ident) is not None:
        return None
    title, summary = _texts(demo, year)
    prev_year = "{prev}" in demo.title
    entry = DipEntry(
        id=ident,
        root_id=ROOT_ID,
        unit_id=unit_id(demo.unit),
        number=f"DIP/{UNIT_SHORT[demo.unit]}/{index:03d}",
        title=title,
        summary=summary,
        category=demo.category,
        year=year - 1 if prev_year else year,
        responsible_official=f"Sekretaris {UNIT_NAMES[demo.unit]}",
        holder_official=f"PPID Pelaksana {UNIT_NAMES[demo.unit]}",
        information_date=(now - timedelta(days=demo.age_days + 7)).date(),
        information_place=PLACE,
        available_formats=[InfoFormat.SOFTCOPY, InfoFormat.HARDCOPY],
        retention_period="5 tahun (JRA)",
        subcategory=demo.subcategory,
        media=[Media.WEBSITE, Media.PRINT],
        tags=list(demo.tags),
        status=DipStatus.DRAFT,
        version=0,  # record_version makes it 1
    )
    # The same versions and audit records as the entries API writes, marked as demo data.
    actor, source = Actor(None, "ppid_pelaksana"), {"source": "demo"}
    await record_version(
        session, entry, VersionAction.CREATE, actor, _REASON, ["*"], audit_extra=source
    )
    final = demo.status
    if final != DipStatus.DRAFT:
        entry.status = final
        if final == DipStatus.PUBLISHED:
            entry.published_at = now - timedelta(days=demo.age_days)
        action = VersionAction.PUBLISH if final == DipStatus.PUBLISHED else VersionAction.PROPOSE
        await record_version(session, entry, action, actor, _REASON, ["status"], audit_extra=source)
    return entry


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _seed_document(
    session: AsyncSession,
    store: ObjectStore,
    *,
    key: str,
    filename: str,
    title: str,
    data: bytes,
    content_type: str,
    entry: uuid.UUID | None = None,
    dik: uuid.UUID | None = None,
) -> int:
    """The object (rewritten if the store lost it) and its row; 1 when the row was new."""
    ident = demo_id(f"registry:document:{key}")
    object_key = f"demo/{ident.hex}"
    if not await store.exists(object_key):
        await store.put_stream(
            object_key, _one(data), content_type=content_type, max_bytes=_MAX_DEMO_BYTES
        )
    if await session.get(Document, ident) is not None:
        return 0
    session.add(
        Document(
            id=ident,
            entry_id=entry,
            dik_id=dik,
            title=title,
            filename=filename,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            object_key=object_key,
        )
    )
    await session.flush()
    return 1


def _entry_file(demo: DemoEntry, title: str, summary: str) -> tuple[str, bytes, str]:
    slug = "-".join(title.lower().split()[:5])
    if demo.document == "csv":
        data = files.csv_file(
            ["Uraian", "Anggaran (Rp)", "Realisasi (Rp)", "Persen"],
            [
                ["Belanja Pegawai", "12500000000", "12100000000", "96,8"],
                ["Belanja Barang dan Jasa", "8400000000", "7900000000", "94,0"],
                ["Belanja Modal", "3200000000", "2750000000", "85,9"],
            ],
        )
        return f"{slug}.csv", data, "text/csv"
    lines = [summary[i : i + 80] for i in range(0, len(summary), 80)]
    data = files.minimal_pdf(title, [*lines, "", "Data demo Terbuka - bukan dokumen resmi."])
    return f"{slug}.pdf", data, "application/pdf"


async def _seed_dik(
    session: AsyncSession, store: ObjectStore, index: int, demo: DemoDik, year: int
) -> tuple[int, int]:
    ident = demo_id(f"registry:dik:{demo.key}")
    created = 0
    if await session.get(DikEntry, ident) is None:
        decree_date = date(year, 1, 20)
        values = dict(demo.values)
        if values["legal_basis_letter"] in ("a", "b", "c", "d", "e", "f"):
            # UU 14/2008 Pasal 20: not permanent; PP 61/2010: law enforcement at most 30 years.
            values.setdefault("exemption_until", date(year + 5, 1, 20))
        entry = DikEntry.model_validate(
            {
                **values,
                "id": ident,
                "root_id": ROOT_ID,
                "unit_id": unit_id(demo.unit),
                "number": f"DIK/{UNIT_SHORT[demo.unit]}/{index:03d}",
                "year": year,
                "decree_number": f"188.4/{index:03d}/PPID/{year}",
                "decree_date": decree_date,
                "decree_place": PLACE,
                "responsible_official": f"Kepala {UNIT_NAMES[demo.unit]}",
            }
        )
        session.add(entry)
        await session.flush()
        await _audit(session, "dik.created", "dik_entry", ident, entry.unit_id, number=entry.number)
        created = 1
    sheet = files.minimal_pdf(
        "Lembar Pengujian Konsekuensi",
        [str(demo.values["title"]), "Data demo Terbuka - bukan dokumen resmi."],
    )
    documents = await _seed_document(
        session,
        store,
        key=f"dik:{demo.key}",
        filename=f"uji-konsekuensi-{demo.key}.pdf",
        title="Lembar pengujian konsekuensi",
        data=sheet,
        content_type="application/pdf",
        dik=ident,
    )
    return created, documents


async def _seed_policy_and_decree(session: AsyncSession, year: int) -> int:
    created = 0
    if await session.get(DipPolicy, ROOT_ID) is None:
        session.add(
            DipPolicy(
                root_id=ROOT_ID,
                # The demo Pemkot lets each PPID Pelaksana publish its own unit's entries
                # (a new root's default is `verify`: the PPID Utama checks first).
                publish_mode=PublishMode.DIRECT,
                dik_public=True,
                berkala_stale_days=30,
            )
        )
        created += 1
    found = await session.scalars(
        sa.select(DipDecree).where(col(DipDecree.root_id) == ROOT_ID, col(DipDecree.year) == year)
    )
    if found.one_or_none() is None:
        session.add(
            DipDecree(
                id=demo_id(f"registry:decree:{year}"),
                root_id=ROOT_ID,
                year=year,
                number=f"188.45/015/KEP/DISKOMINFO/{year}",
                decree_date=date(year, 1, 15),
                signed_by="Wali Kota Contoh",
            )
        )
        created += 1
    await session.flush()
    return created


async def seed(
    session: AsyncSession, store: ObjectStore, *, now: datetime | None = None
) -> Summary:
    """The demo DIP of the demo root; what already exists is left as it is."""
    await session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SEED_LOCK})
    now = now or datetime.now(UTC)
    year = now.year
    created = await _seed_policy_and_decree(session, year)
    new_entries: list[tuple[DipEntry, DemoEntry]] = []
    documents = 0
    for index, demo in enumerate(ENTRIES, start=1):
        entry = await _seed_entry(session, index, demo, year, now)
        if entry is not None:
            new_entries.append((entry, demo))
        if demo.document is not None:
            title, summary = _texts(demo, year)
            filename, data, content_type = _entry_file(demo, title, summary)
            created += await _seed_document(
                session,
                store,
                key=f"dip:{index}",
                filename=filename,
                title=title,
                data=data,
                content_type=content_type,
                entry=entry_id(index),
            )
        documents += demo.document is not None
    dik_count = 0
    for index, dik in enumerate(DIK_ENTRIES, start=1):
        made, docs = await _seed_dik(session, store, index, dik, year)
        created += made + docs
        dik_count += 1
        documents += 1
    # Backdate (the freshness report's stale berkala entries), then the feed: last.
    for entry, demo in new_entries:
        await session.execute(
            sa.update(DipEntry)
            .where(col(DipEntry.id) == entry.id)
            .values(updated_at=now - timedelta(days=demo.age_days))
        )
    published = [entry for entry, _ in new_entries if entry.status == DipStatus.PUBLISHED]
    for entry in published:
        await session.refresh(entry)
        await record_public_change(session, entry)
    units = {unit_id(demo.unit) for demo in ENTRIES}
    return Summary(
        entries=len(ENTRIES),
        units=len(units),
        documents=documents,
        dik_entries=dik_count,
        created=created + len(new_entries),
    )
