"""What a submission carries (DOMAIN.md 8.3, the Perki 2010 form) and what it answers.

Only the shape is checked here; the rules between fields (NIK per category, the copy
format, who may set the channel) are in `rules.py`, with messages in both languages
that never repeat a submitted value (DOMAIN.md 17).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from requests_service.core.models import (
    AccessMethod,
    Channel,
    CopyFormat,
    DeliveryMethod,
    RequesterCategory,
)
from requests_service.core.views import RequestView


def _none_if_blank(value: str | None) -> str | None:
    return value or None


def _required(max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


def _trimmed(max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, max_length=max_length)


# Required text is trimmed and not blank; optional text left blank counts as absent.
Name = Annotated[str, _required(255)]
Address = Annotated[str, _required(500)]
Purpose = Annotated[str, _required(2000)]
Subject = Annotated[str, _required(5000)]
Short = Annotated[Annotated[str, _trimmed(32)] | None, AfterValidator(_none_if_blank)]
Code = Annotated[Annotated[str, _trimmed(128)] | None, AfterValidator(_none_if_blank)]
Line = Annotated[Annotated[str, _trimmed(255)] | None, AfterValidator(_none_if_blank)]
Mail = Annotated[Annotated[str, _trimmed(320)] | None, AfterValidator(_none_if_blank)]


class RequesterIn(BaseModel):
    """Who asks (DOMAIN.md 7.1, 8.3). UU Pasal 22(2): name and address are always recorded."""

    model_config = ConfigDict(extra="forbid")

    category: RequesterCategory
    name: Name = Field(description="The person, the legal entity or the group.")
    nik: Short = Field(
        default=None,
        description=(
            "NIK (16 digits; spaces, dots and dashes allowed). Required for `perorangan` and "
            "`kelompok_orang` (the grantee's). Never shown back."
        ),
    )
    legal_entity_decree_no: Code = Field(
        default=None,
        description="The Kemenkumham ratification decree; required for `badan_hukum`.",
    )
    address: Address = Field(description="Full address (UU Pasal 22(2)).")
    phone: Short = Field(default=None, description="Phone or mobile number.")
    email: Mail = Field(default=None, description="At least one of phone/email.")
    occupation: Code = Field(default=None, description="Pekerjaan.")
    agent_name: Line = Field(
        default=None, description="The agent (kuasa) filing for the requester, if any."
    )


class RequestSubmission(BaseModel):
    """The request form (Formulir Permohonan Informasi Publik)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "target_unit_id": "5b0b6f0e-2f57-5d6c-9a0e-1f8d2c3b4a59",
                    "requester": {
                        "category": "perorangan",
                        "name": "Nama Pemohon",
                        "nik": "3171010101900001",
                        "address": "Jl. Contoh No. 1, Kota Contoh",
                        "email": "pemohon@example.org",
                        "occupation": "Wiraswasta",
                    },
                    "information_requested": "Daftar penerima bantuan kesehatan tahun 2025",
                    "purpose": "Penelitian",
                    "access_method": "obtain_copy",
                    "copy_format": "softcopy",
                    "delivery_method": "email",
                }
            ]
        },
    )

    target_unit_id: uuid.UUID = Field(description="The unit addressed, or the root.")
    requester: RequesterIn
    information_requested: Subject = Field(description="Rincian informasi.")
    purpose: Purpose = Field(description="Tujuan penggunaan informasi.")
    access_method: AccessMethod
    copy_format: CopyFormat | None = Field(
        default=None, description="Required with `obtain_copy`, absent otherwise."
    )
    delivery_method: DeliveryMethod
    channel: Channel | None = Field(
        default=None,
        description=(
            "Officials only: how it came (`walk_in` by default; `phone`, `letter`, `email`, "
            "`fax`, `other` with `channel_note`). Online submissions leave it out."
        ),
    )
    channel_note: Line = Field(
        default=None, description="Officials only: the channel in words (required with `other`)."
    )
    received_at: AwareDatetime | None = Field(
        default=None,
        description=(
            "Officials only: when it was received (a letter's arrival), not in the future and "
            "at most 30 days back; now by default."
        ),
    )


class SubmittedRequest(RequestView):
    """The new request, with its tracking secret: shown now (and to a retry with the same
    `Idempotency-Key`), never stored in clear."""

    tracking_secret: str = Field(
        description="With the registration number, what tracks the request without an account."
    )
    receipt_url: str = Field(description="The tanda bukti penerimaan (PDF).")
