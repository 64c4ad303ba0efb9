"""Helpers of the DIK tests: a valid consequence test, DIP entries and rows seeded directly."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from registry_service.models import DipCategory, DipEntry, DipStatus

from tests.registry.harness import DINKES_ID, ROOT_ID
from tests.services.support import database_session

Json = dict[str, Any]
SECRET = "Nama saksi: Budi Santoso; hasil uji sampel nomor 17"


def dik_body(**overrides: Any) -> Json:
    """A consequence test that passes every check (ground a, law enforcement, 5 years)."""
    body: Json = {
        "unit_id": str(DINKES_ID),
        "number": f"DIK-{uuid.uuid4().hex[:8]}",
        "title": "Berkas penyelidikan keracunan pangan",
        "summary": "Hasil uji laboratorium dan keterangan saksi.",
        "category": "setiap_saat",
        "year": 2026,
        "public_summary": "Berkas penyelidikan yang sedang disidik.",
        "trigger": "proactive",
        "withheld_information": SECRET,
        "legal_basis_letter": "a",
        "legal_basis_number": "1",
        "harm_analysis": "Menghambat penyidikan.",
        "public_interest_analysis": "Imbauan sudah diumumkan.",
        "balancing": "Penegakan hukum lebih berat.",
        "conclusion": "exempt",
        "exemption_until": "2031-01-20",
        "decree_number": "188.4/001/PPID/2026",
        "decree_date": "2026-01-20",
        "decree_place": "Kota Contoh",
        "signed_by_role": "ppid_utama",
        "signed_by_name": "Kepala Diskominfo",
        "participants": ["PPID Utama", "Tim Pertimbangan"],
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


async def add_dip_entry(
    database_url: str,
    *,
    unit_id: uuid.UUID = DINKES_ID,
    status: DipStatus = DipStatus.PUBLISHED,
    category: DipCategory = DipCategory.BERKALA,
    title: str = "Laporan Realisasi Anggaran",
) -> uuid.UUID:
    """A DIP entry written straight to the database (the entries API is not needed)."""
    entry = DipEntry(
        root_id=ROOT_ID,
        unit_id=unit_id,
        number=f"DIP-{uuid.uuid4().hex[:8]}",
        title=title,
        summary="Ringkasan.",
        category=category,
        year=2026,
        status=status,
        published_at=datetime.now(UTC) if status == DipStatus.PUBLISHED else None,
    )
    async with database_session(database_url) as session:
        session.add(entry)
        await session.flush()
    return entry.id


def years_after(start: str, years: int, days: int = 0) -> str:
    day = date.fromisoformat(start)
    return (day.replace(year=day.year + years) + timedelta(days=days)).isoformat()
