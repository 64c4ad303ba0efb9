"""Request and response bodies of `/v1/dik/entries`.

Two views of one record: the public DIK (what the list of exempted information shows:
what it is, why in law, until when, by which decree) and the whole consequence test
for the officials of the root. The withheld information, the analyses, the
participants and the documents never reach the public view.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from ppid_kit.cursor import Page
from ppid_kit.models import PublicModel
from pydantic import BaseModel, ConfigDict, Field

from registry_service.dik.models import Conclusion, DikStatus, ExemptionGround, TestTrigger
from registry_service.documents.models import DocumentPublic
from registry_service.models import DipCategory, InfoFormat, Media

Str255 = Field(default=None, max_length=255)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DikEntryFields(_Body):
    """Every field of a consequence test an official may write (all optional: PATCH)."""

    # The DIP fields (DOMAIN.md 5.1), the DIK reuses them.
    number: str | None = Field(default=None, min_length=1, max_length=64)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    summary: str | None = Field(
        default=None, min_length=1, max_length=20000, description="Internal summary of contents."
    )
    category: DipCategory | None = None
    year: int | None = Field(default=None, ge=1900, le=2999)
    responsible_official: str | None = Str255
    information_date: date | None = None
    information_place: str | None = Str255
    available_formats: list[InfoFormat] | None = Field(default=None, max_length=2)
    retention_period: str | None = Str255
    holder_official: str | None = Str255
    subcategory: str | None = Field(default=None, max_length=120)
    media: list[Media] | None = Field(default=None, max_length=3)
    tags: list[str] | None = Field(default=None, max_length=30)
    decree_reference: str | None = Str255
    # The public face of the entry.
    public_summary: str | None = Field(
        default=None,
        min_length=1,
        max_length=5000,
        description="What the public DIK list shows; never the withheld information itself.",
    )
    # The consequence test (DOMAIN.md 6.1-6.3).
    trigger: TestTrigger | None = None
    trigger_reference: str | None = Field(
        default=None, max_length=255, description="The request or dispute that triggered it."
    )
    document_reference: str | None = Field(default=None, max_length=500)
    withheld_information: str | None = Field(default=None, min_length=1, max_length=20000)
    legal_basis_letter: ExemptionGround | None = Field(
        default=None, description="UU 14/2008 Pasal 17 letter (a-j)."
    )
    legal_basis_number: str | None = Field(
        default=None, max_length=16, description="The number under the letter (Pasal 17 a 1-5)."
    )
    other_laws: str | None = Field(
        default=None, max_length=5000, description="Other Undang-Undang relied on."
    )
    harm_analysis: str | None = Field(default=None, min_length=1, max_length=20000)
    public_interest_analysis: str | None = Field(default=None, min_length=1, max_length=20000)
    balancing: str | None = Field(default=None, min_length=1, max_length=20000)
    conclusion: Conclusion | None = None
    exemption_until: date | None = None
    exemption_condition: str | None = Field(default=None, min_length=1, max_length=5000)
    decree_number: str | None = Str255
    decree_date: date | None = None
    decree_place: str | None = Str255
    signed_by_role: str | None = Field(default=None, max_length=64)
    signed_by_name: str | None = Str255
    participants: list[str] | None = Field(default=None, max_length=50)


# Fields a DIK row cannot be without (NOT NULL columns): required on create, and
# never nullable by PATCH.
REQUIRED_FIELDS = (
    "number",
    "title",
    "summary",
    "category",
    "year",
    "public_summary",
    "withheld_information",
    "legal_basis_letter",
    "harm_analysis",
    "public_interest_analysis",
    "balancing",
    "conclusion",
)
# Array columns: null means "empty".
LIST_FIELDS = ("available_formats", "media", "tags", "participants")


class DikEntryCreate(DikEntryFields):
    """A new consequence test; its unit, and optionally the DIP entry it was run on."""

    unit_id: uuid.UUID = Field(description="The unit that holds the information.")
    number: str = Field(min_length=1, max_length=64, description="Number in the DIK.")
    title: str = Field(min_length=1, max_length=500)
    summary: str = Field(min_length=1, max_length=20000, description="Internal summary.")
    category: DipCategory
    year: int = Field(ge=1900, le=2999)
    public_summary: str = Field(
        min_length=1,
        max_length=5000,
        description="What the public DIK list shows; never the withheld information itself.",
    )
    trigger: TestTrigger = TestTrigger.PROACTIVE
    withheld_information: str = Field(min_length=1, max_length=20000)
    legal_basis_letter: ExemptionGround = Field(description="UU 14/2008 Pasal 17 letter (a-j).")
    harm_analysis: str = Field(min_length=1, max_length=20000)
    public_interest_analysis: str = Field(min_length=1, max_length=20000)
    balancing: str = Field(min_length=1, max_length=20000)
    conclusion: Conclusion
    from_entry_id: uuid.UUID | None = Field(
        default=None,
        description=(
            "The DIP entry tested. When the test concludes `exempt`, that entry leaves the "
            "public DIP (status `withdrawn`, a tombstone in the changes feed)."
        ),
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "0b9c5a52-4a8e-4f0e-9a51-6f0d1f7c2a10",
                    "number": "DIK-2026-001",
                    "title": "Rekam medis pasien RSUD",
                    "summary": "Rekam medis seluruh pasien rawat inap dan rawat jalan.",
                    "category": "setiap_saat",
                    "year": 2026,
                    "public_summary": "Rekam medis pasien: rahasia pribadi (Pasal 17 huruf h).",
                    "trigger": "proactive",
                    "withheld_information": "Identitas, diagnosis dan riwayat pengobatan pasien.",
                    "legal_basis_letter": "h",
                    "legal_basis_number": "2",
                    "other_laws": "UU 17/2023 tentang Kesehatan",
                    "harm_analysis": "Membuka rekam medis melanggar rahasia pribadi pasien.",
                    "public_interest_analysis": "Tidak ada kepentingan publik yang lebih besar.",
                    "balancing": "Kerugian jauh lebih besar daripada manfaatnya.",
                    "conclusion": "exempt",
                    "exemption_condition": "Permanen (Pasal 20 UU 14/2008 tidak membatasi h).",
                    "decree_number": "188.4/012/PPID/2026",
                    "decree_date": "2026-01-20",
                    "decree_place": "Kota Contoh",
                    "signed_by_role": "ppid_utama",
                    "signed_by_name": "Kepala Diskominfo",
                    "participants": ["PPID Utama", "Tim Pertimbangan"],
                }
            ]
        },
    )


class DikEntryUpdate(DikEntryFields):
    """Changes to a test still in force; the unit and the status change by other routes."""


class DikAction(_Body):
    """The reason of a status change, kept with the entry and in the audit log."""

    reason: str = Field(min_length=1, max_length=2000)


PUBLIC_EXAMPLE: dict[str, Any] = {
    "id": "3c2b1a09-8e7d-4c6b-9a58-473625140f1e",
    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
    "unit_id": "0b9c5a52-4a8e-4f0e-9a51-6f0d1f7c2a10",
    "number": "DIK-2026-001",
    "title": "Rekam medis pasien RSUD",
    "public_summary": "Rekam medis pasien: rahasia pribadi (Pasal 17 huruf h).",
    "category": "setiap_saat",
    "year": 2026,
    "legal_basis_letter": "h",
    "legal_basis_number": "2",
    "other_laws": "UU 17/2023 tentang Kesehatan",
    "exemption_until": None,
    "exemption_condition": "Permanen.",
    "decree_number": "188.4/012/PPID/2026",
    "decree_date": "2026-01-20",
    "status": "active",
    "updated_at": "2026-01-20T09:00:00+07:00",
}


class DikEntryPublic(PublicModel):
    """A public DIK entry: what is withheld in general terms, on which ground, until when."""

    model_config = {"json_schema_extra": {"examples": [PUBLIC_EXAMPLE]}}  # noqa: RUF012

    id: uuid.UUID
    root_id: uuid.UUID
    unit_id: uuid.UUID
    number: str
    title: str
    public_summary: str
    category: DipCategory
    year: int
    legal_basis_letter: ExemptionGround
    legal_basis_number: str | None
    other_laws: str | None
    exemption_until: date | None
    exemption_condition: str | None
    decree_number: str | None
    decree_date: date | None
    status: DikStatus
    updated_at: datetime


class DikEntryPage(Page[DikEntryPublic]):
    """A page of the public DIK, most recently updated first."""


class DikEntryManaged(DikEntryPublic):
    """The whole consequence test, for the officials of the root."""

    summary: str
    responsible_official: str | None
    information_date: date | None
    information_place: str | None
    available_formats: list[InfoFormat]
    retention_period: str | None
    holder_official: str | None
    subcategory: str | None
    media: list[Media]
    tags: list[str]
    decree_reference: str | None
    trigger: TestTrigger
    trigger_reference: str | None
    document_reference: str | None
    withheld_information: str
    harm_analysis: str
    public_interest_analysis: str
    balancing: str
    conclusion: Conclusion
    decree_place: str | None
    signed_by_role: str | None
    signed_by_name: str | None
    participants: list[str]
    dip_entry_id: uuid.UUID | None
    status_reason: str | None
    created_by: uuid.UUID | None
    created_at: datetime
    documents: list[DocumentPublic] = Field(
        description="The test sheet, the decree and the withheld documents (never public)."
    )


class DikEntryListed(DikEntryPublic):
    """An entry in the officials' list: the public fields, the conclusion, the last reason."""

    conclusion: Conclusion
    status_reason: str | None


class DikEntryListedPage(Page[DikEntryListed]):
    """A page of a root's consequence tests in every status, for its officials."""
