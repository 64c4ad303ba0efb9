"""The rows of the register of objections (DOMAIN.md 10.4), with Indonesian headers.

The eleven minimum columns of the Register Keberatan in their order (the identity of the
requester and of the agent spread over name, address, occupation and contact), then the
state and the legal clock (UU Pasal 36(2) response due, Pasal 37(2) dispute due). The
personal columns are filled only for officials who handle the objection's unit; others
get `(disembunyikan)` (DOMAIN.md 17).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.core.models import InformationRequest
from requests_service.objections.models import Objection, ObjectorIdentity
from requests_service.objections.texts import (
    DECISION_WORDS,
    REACTION_WORDS,
    STATE_WORDS,
    reasons_text,
)
from requests_service.registers.common import received_in_year, registration_order
from requests_service.registers.rows import HIDDEN
from requests_service.texts import DAYS

PERSONAL_HEADERS = [
    "Nama Pemohon",
    "Alamat Pemohon",
    "Pekerjaan Pemohon",
    "Nomor Kontak Pemohon",
    "Nama Kuasa",
    "Alamat Kuasa",
    "Pekerjaan Kuasa",
    "Nomor Kontak Kuasa",
]
HEADERS = [
    "No.",
    "Nomor Registrasi Keberatan",
    "Tanggal Keberatan Diterima",
    *PERSONAL_HEADERS,
    "Nomor Pendaftaran Permohonan",
    "Informasi yang Diminta",
    "Tujuan Penggunaan Informasi",
    "Alasan Keberatan (Pasal 35 UU 14/2008)",
    "Keputusan Atasan PPID",
    "Hari dan Tanggal Tanggapan",
    "Nama dan Jabatan Atasan PPID",
    "Tanggapan Pemohon",
    "Status",
    "Batas Waktu Tanggapan",
    "Batas Waktu Pengajuan Sengketa",
    "Pengajuan Keberatan Terlambat",
    "Unit Penangan",
]


@dataclass(frozen=True)
class ObjectionEntry:
    objection: Objection
    identity: ObjectorIdentity | None
    request: InformationRequest | None


async def load_objections(
    session: AsyncSession, root_id: uuid.UUID, unit_ids: set[uuid.UUID], year: int
) -> list[ObjectionEntry]:
    """The objections of `unit_ids` received in `year` (local to the objection's zone), in
    registration order."""
    stmt = (
        sa.select(Objection, ObjectorIdentity, InformationRequest)
        .outerjoin(ObjectorIdentity, col(ObjectorIdentity.objection_id) == col(Objection.id))
        .outerjoin(InformationRequest, col(InformationRequest.id) == col(Objection.request_id))
        .where(received_in_year(Objection, root_id, unit_ids, year))
        .order_by(*registration_order(Objection))
    )
    found = await session.execute(stmt)
    return [ObjectionEntry(*row) for row in found.all()]


def _day(day: dt.date | None) -> str:
    return "" if day is None else f"{DAYS[day.weekday()]}, {day.isoformat()}"


def _contact(*values: str | None) -> str:
    return " / ".join(value for value in values if value)


def identity_cells(identity: ObjectorIdentity | None, *, personal: bool) -> list[str]:
    if identity is None:
        return [""] * len(PERSONAL_HEADERS)
    if not personal:
        agent = [HIDDEN] * 4 if identity.agent_name else [""] * 4
        return [HIDDEN] * 4 + agent
    return [
        identity.name,
        identity.address or "",
        identity.occupation or "",
        _contact(identity.phone, identity.email),
        identity.agent_name or "",
        identity.agent_address or "",
        identity.agent_occupation or "",
        identity.agent_phone or "",
    ]


def objection_row(
    number: int, entry: ObjectionEntry, *, personal: bool, unit_name: str
) -> list[str]:
    objection, info = entry.objection, entry.request
    received = objection.received_at.astimezone(ZoneInfo(objection.time_zone))
    atasan = ", ".join(part for part in (objection.atasan_name, objection.atasan_position) if part)
    reaction = objection.requester_reaction
    return [
        str(number),
        objection.objection_number,
        received.strftime("%Y-%m-%d %H:%M"),
        *identity_cells(entry.identity, personal=personal),
        "" if info is None else info.registration_number,
        "" if info is None else info.information_requested,
        objection.purpose,
        "; ".join(reasons_text(objection.reasons)),
        "" if objection.decision is None else DECISION_WORDS[objection.decision],
        _day(objection.response_date),
        atasan,
        "" if reaction is None else REACTION_WORDS[reaction],
        STATE_WORDS[objection.state],
        objection.response_due.isoformat(),
        "" if objection.dispute_due is None else objection.dispute_due.isoformat(),
        "ya" if objection.filed_late else "tidak",
        unit_name,
    ]
