"""Bodies of the workflow's actions and the views of notices, decrees and fee schedules."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from ppid_kit.models import PublicModel
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from requests_service.core.models import CopyFormat, DeliveryMethod, NoticeOutcome
from requests_service.workflow.models import ExemptionGround, Holder, PaymentMethod

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoteBody(_Body):
    """An optional note, shown to the requester in the history."""

    note: Note | None = None


class ReasonBody(_Body):
    """A required reason, shown to the requester in the history."""

    reason: Reason


class DisposeBody(_Body):
    """An internal disposition to another unit of the same badan publik."""

    unit_id: uuid.UUID = Field(description="The unit that handles the request from now on.")
    reason: Reason


class ExtendBody(_Body):
    """The written reason of the extension (UU Pasal 22(8))."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "Informasi tersebar di tiga bidang dan perlu dihimpun."}]
        },
    )

    reason: Reason


class FeeLineIn(_Body):
    code: Code = Field(description="An item code of the root's fee schedule.")
    quantity: int = Field(ge=1, le=1_000_000)


class NoticeBody(_Body):
    """The written notice (UU Pasal 22(7); DOMAIN.md 8.4) and, for `refused`, the decree (8.5)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "outcome": "granted_partial",
                    "holder": "self",
                    "material": "Laporan realisasi anggaran 2025 (tanpa data pribadi pegawai).",
                    "available_forms": ["hardcopy"],
                    "delivery_method": "pickup",
                    "fee_lines": [{"code": "FC-A4", "quantity": 30}],
                    "provide_within_working_days": 5,
                    "redaction_note": "Nama dan NIP pegawai dihitamkan (Pasal 17 huruf h).",
                    "signatory_name": "dr. Contoh, M.Kes.",
                },
                {
                    "outcome": "refused",
                    "ground": "h",
                    "ground_number": "2",
                    "consequence_test_id": "3c2b1a09-8e7d-4c6b-9a58-473625140f1e",
                },
            ]
        },
    )

    outcome: NoticeOutcome
    holder: Holder = Field(
        default=Holder.SELF, description="Who holds granted information (8.4 A.1)."
    )
    holder_body: Name | None = Field(
        default=None,
        description="The other badan publik that holds it: required for `not_held_forwarded` "
        "(UU Pasal 22(7)(b)) and when `holder` is `other_body`.",
    )
    material: LongText | None = Field(
        default=None, description="What is given (UU Pasal 22(7)(d)); default: what was asked."
    )
    available_forms: list[CopyFormat] = Field(
        default_factory=list,
        max_length=2,
        description="Forms available (softcopy/hardcopy); required when information is given.",
    )
    delivery_method: DeliveryMethod | None = Field(
        default=None, description="How it is given (UU Pasal 22(7)(f)); default: as requested."
    )
    fee_lines: list[FeeLineIn] = Field(
        default_factory=list,
        max_length=50,
        description="Items of the root's fee schedule times a quantity; none: free (softcopy).",
    )
    payment_instructions: LongText | None = Field(
        default=None, description="How to pay (UU Pasal 22(7)(g)); a default text otherwise."
    )
    provide_within_working_days: int | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Time to provide; default: by the notice deadline when the root's policy "
        "says so (`delivery_sla_equals_notice`).",
    )
    redaction_note: LongText | None = Field(
        default=None,
        description="Blacked-out parts and why: required for `granted_partial` "
        "(UU Pasal 22(7)(e)).",
    )
    explanation: LongText | None = Field(
        default=None, description="Why it cannot be given (not held / not documented)."
    )
    ground: ExemptionGround | None = Field(
        default=None, description="UU 14/2008 Pasal 17 letter: required for `refused`."
    )
    ground_number: Annotated[str, StringConstraints(max_length=16)] | None = None
    other_law: LongText | None = Field(default=None, description="Another Undang-Undang relied on.")
    consequence_test_id: uuid.UUID | None = Field(
        default=None,
        description="The consequence test (a DIK entry in the registry): required for `refused`.",
    )
    consequences: LongText | None = Field(
        default=None, description="Consequences of opening it; default: the DIK's summary."
    )
    place: Name | None = Field(default=None, description="Where it is signed.")
    signatory_name: Name | None = Field(default=None, description="The signing PPID's name.")


class PaymentBody(_Body):
    """A payment of the fees stated in the notice (DOMAIN.md 12; Perki 1/2010 Pasal 28)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"method": "cash_at_counter", "amount": 6000, "receipt_no": "KW-0042"}]
        },
    )

    method: PaymentMethod
    amount: int = Field(default=0, ge=0, description="Rupiah; the notice's total unless waived.")
    receipt_no: Name | None = Field(
        default=None,
        description="The itemised receipt (counter) or the transfer's reference: required "
        "unless waived.",
    )
    note: Note | None = Field(default=None, description="Why fees are waived, for instance.")


class DeliveryBody(_Body):
    """The handover of the information, with its acknowledgement (DOMAIN.md 8.2, 13)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "method": "email",
                    "file_ids": ["0d1e2f30-4a5b-4c6d-8e7f-9a0b1c2d3e4f"],
                    "acknowledgement": "Dikirim ke surel pemohon; tanda terima baca diterima.",
                }
            ]
        },
    )

    method: DeliveryMethod
    file_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=100,
        description="Delivered files of this request; at least one for email or download.",
    )
    acknowledgement: Note = Field(description="The proof of handover (berita acara, receipt…).")


class WithdrawBody(_Body):
    reason: Reason | None = None


class FeeLine(PublicModel):
    """One line of the fees stated in a notice."""

    code: str
    description: str
    unit: str
    unit_price: int
    quantity: int
    amount: int


class DecreeView(PublicModel):
    """The refusal decree (SK Penolakan; DOMAIN.md 8.5)."""

    decree_number: str
    decree_date: dt.date
    ground: ExemptionGround
    ground_number: str | None
    ground_text: str
    other_law: str | None
    consequence_test_id: uuid.UUID
    dik_number: str | None
    dik_decree_number: str | None
    consequences: str
    objection_due: dt.date = Field(description="30 working days from the decree's date.")
    objection_statement: str
    pdf_url: str


class NoticeView(PublicModel):
    """The written notice of a request (DOMAIN.md 8.4); the addressee by name only."""

    request_id: uuid.UUID
    registration_number: str
    request_date: dt.date
    requester_name: str | None
    information_requested: str
    outcome: NoticeOutcome
    holder: Holder | None
    holder_body: str | None
    material: str | None
    available_forms: list[CopyFormat]
    delivery_method: DeliveryMethod | None
    fee_lines: list[FeeLine]
    fee_total: int
    payment_instructions: str | None
    provide_within_working_days: int | None
    promised_delivery_date: dt.date | None
    redaction_note: str | None
    explanation: str | None
    issuer: str
    place: str
    signatory: str
    issued_at: dt.datetime
    issued_by_role: str
    pdf_url: str
    decree: DecreeView | None


class FeeItemIn(_Body):
    code: Code
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ]
    unit_price: int = Field(ge=0, le=1_000_000_000, description="Rupiah per unit.")
    unit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    effective_from: dt.date
    decree_no: Name = Field(description="The head's decree setting the price (DOMAIN.md 12).")
    active: bool = True


FEE_EXAMPLE: dict[str, Any] = {
    "code": "FC-A4",
    "description": "Fotokopi dokumen ukuran A4",
    "unit_price": 200,
    "unit": "lembar",
    "effective_from": "2026-01-01",
    "decree_no": "188.45/12/KEP/2025",
    "active": True,
}


class FeeSchedulePut(_Body):
    """The whole list: it replaces the root's schedule."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"items": [FEE_EXAMPLE]}]}
    )

    items: list[FeeItemIn] = Field(max_length=200)


class FeeItemPublic(PublicModel):
    code: str
    description: str
    unit_price: int
    unit: str
    effective_from: dt.date
    decree_no: str
    active: bool


class FeeSchedulePublic(PublicModel):
    """A root's cost standard (standar biaya), announced publicly (Perki 1/2010 Pasal 28(4))."""

    model_config = {  # noqa: RUF012 (a pydantic config)
        "json_schema_extra": {
            "examples": [
                {
                    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
                    "version": 1,
                    "updated_at": "2026-01-02T09:00:00+07:00",
                    "items": [FEE_EXAMPLE],
                }
            ]
        }
    }

    root_id: uuid.UUID
    version: int = Field(description="0 while the root has no schedule.")
    updated_at: dt.datetime | None
    items: list[FeeItemPublic]
