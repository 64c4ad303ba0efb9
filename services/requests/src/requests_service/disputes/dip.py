"""The DIP task a decision opening information leaves in the registry (UU Pasal 11(2)).

When the KI (or a court) decides that information must be opened, the body has to add
it to its Daftar Informasi Publik. We create a *draft* DIP entry of the unit through the
registry's own API (`POST /v1/dip/entries`), with the caller's bearer token, so the
registry applies its rules (an editor of the unit) and its audit; the PPID then completes
and publishes it there. The title and summary name the decision, never the requester.

The call runs before our own changes and with an `Idempotency-Key` derived from the
dispute: a failure of ours after the registry answered is retried onto the same entry.
"""

from __future__ import annotations

import uuid

import httpx
from ppid_kit.problems import Text
from pydantic import BaseModel, ValidationError

from requests_service.core.models import InformationRequest
from requests_service.disputes.models import Dispute
from requests_service.disputes.schemas import DecisionBody
from requests_service.objections.models import Objection
from requests_service.registry_client import RegistryHttp, unavailable
from requests_service.settings import RequestsSettings
from requests_service.texts import tanggal

REGISTRY_UNAVAILABLE = Text(
    "Registri DIP tidak dapat membuat tugas pemutakhiran DIP atas putusan ini; putusan belum "
    "dicatat. Coba lagi sebentar lagi.",
    "The DIP registry could not create the DIP update task for this decision; the decision "
    "was not recorded. Try again shortly.",
)
_LEVELS = {"pusat": "Pusat", "provinsi": "Provinsi", "kabupaten_kota": "Kabupaten/Kota"}


class _Created(BaseModel):
    id: uuid.UUID


def entry_body(
    dispute: Dispute,
    objection: Objection,
    request: InformationRequest | None,
    body: DecisionBody,
) -> dict[str, object]:
    """A draft DIP entry naming the decision (no personal data)."""
    level = _LEVELS[dispute.ki_level.value]
    registration = f" Nomor {dispute.ki_registration_no}" if dispute.ki_registration_no else ""
    day = tanggal(body.decision_date)
    decided = f"Putusan Komisi Informasi {level}{registration} tanggal {day}"
    about = (
        f"atas permohonan {request.registration_number}: {request.information_requested}"
        if request is not None
        else "atas informasi berkala yang belum disediakan (UU 14/2008 Pasal 35 ayat 1 huruf b)"
    )
    summary = (
        f"{decided} membuka informasi {about}. Keberatan {objection.objection_number}. "
        "Tugas PPID: lengkapi dan umumkan entri ini dalam DIP (UU 14/2008 Pasal 11 ayat 2)."
    )
    return {
        "unit_id": str(dispute.unit_id),
        "number": f"PKI-{objection.year}-{objection.seq:05d}",
        "title": f"Informasi dibuka oleh {decided}"[:500],
        "summary": summary,
        "category": "setiap_saat",
        "year": body.decision_date.year,
        "decree_reference": decided[:255],
        "tags": ["putusan-komisi-informasi"],
    }


async def create_dip_task(
    http: httpx.AsyncClient,
    settings: RequestsSettings,
    *,
    dispute: Dispute,
    payload: dict[str, object],
    authorization: str | None,
) -> uuid.UUID:
    """The new draft entry's id; 503 (`Retry-After`) when the registry is down or refuses."""
    response = await RegistryHttp.of(http, settings).send(
        "POST",
        "/v1/dip/entries",
        json=payload,
        headers={"Idempotency-Key": f"dispute-dip-{dispute.id}"},
        authorization=authorization,
        unreachable=REGISTRY_UNAVAILABLE,
        down=_NOT_CREATED,
    )
    try:
        return _Created.model_validate(response.json()).id
    except (ValidationError, ValueError) as exc:
        raise unavailable(REGISTRY_UNAVAILABLE) from exc


class _NotCreated:
    """Every status but 201: the decision is not recorded without its DIP task."""

    def __contains__(self, status: object) -> bool:
        return status != 201


_NOT_CREATED = _NotCreated()
