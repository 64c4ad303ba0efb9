"""The requester's identity as officials read it (DOMAIN.md 8.3, 17): every read audited.

Handlers of the handling unit (PPID Utama, PPID Pelaksana, petugas layanan) read it
whole, the NIK decrypted. Reader officials who do not handle the request (atasan PPID,
auditor, admin) read the name, the category and what the register needs, with the NIK
masked and no address, phone or email: enough to review the request, not to contact
or identify the requester beyond it (DOMAIN.md 17 rule 1, data minimisation).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ppid_kit.models import PublicModel
from pydantic import Field

from requests_service.core.models import InformationRequest, RequesterCategory, RequesterIdentity
from requests_service.identity.nik import decrypt_nik, masked
from requests_service.settings import RequestsSettings

IdentityScope = Literal["full", "masked"]


class RequesterIdentityView(PublicModel):
    """Who asked. `scope` says whether the personal fields are all there."""

    model_config = {  # noqa: RUF012 (a pydantic config)
        "json_schema_extra": {
            "examples": [
                {
                    "request_id": "0b8f5c2e-4d7a-4f3e-9a51-3c2d1e0f9a8b",
                    "registration_number": "KOTA-CONTOH/DINKES/PI/2026/00042",
                    "scope": "full",
                    "category": "perorangan",
                    "name": "Nama Pemohon",
                    "nik": "3273010101900001",
                    "nik_masked": "327301********01",
                    "legal_entity_decree_no": None,
                    "address": "Jl. Contoh No. 1, Kota Contoh",
                    "phone": "+6281200000000",
                    "email": "pemohon@example.org",
                    "occupation": "Wiraswasta",
                    "agent_name": None,
                    "identity_verified_at": None,
                }
            ]
        }
    }

    request_id: uuid.UUID
    registration_number: str
    scope: IdentityScope = Field(
        description="`full` for handlers of the handling unit; `masked` for other reader "
        "officials: `nik`, `address`, `phone` and `email` are then null."
    )
    category: RequesterCategory
    name: str
    nik: str | None = Field(description="Decrypted (handlers only).")
    nik_masked: str | None = Field(description="Region code and last two digits.")
    legal_entity_decree_no: str | None
    address: str | None
    phone: str | None
    email: str | None
    occupation: str | None
    agent_name: str | None = Field(description="The agent (kuasa) filing for the requester.")
    identity_verified_at: dt.datetime | None


def identity_view(
    request: InformationRequest,
    identity: RequesterIdentity,
    settings: RequestsSettings,
    scope: IdentityScope,
) -> RequesterIdentityView:
    nik: str | None = None
    if identity.nik_ciphertext is not None and identity.nik_key_id is not None:
        nik = decrypt_nik(identity.nik_ciphertext, settings.nik_keys, identity.nik_key_id)
    full = scope == "full"
    return RequesterIdentityView(
        request_id=request.id,
        registration_number=request.registration_number,
        scope=scope,
        category=request.requester_category,
        name=identity.name,
        nik=nik if full else None,
        nik_masked=None if nik is None else masked(nik),
        legal_entity_decree_no=identity.legal_entity_decree_no,
        address=identity.address if full else None,
        phone=identity.phone if full else None,
        email=identity.email if full else None,
        occupation=identity.occupation,
        agent_name=identity.agent_name,
        identity_verified_at=identity.identity_verified_at,
    )
