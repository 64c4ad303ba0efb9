"""The objection's documents as PDF: the numbered form (the requester's copy) and the
Atasan PPID's written response.

The form (DOMAIN.md 10.2/10.3; SLIP Pasal 39(2)-(4)) is the requester's receipt: the
objection number, the request number, purpose, reasons, case position and the due date
of the response (UU Pasal 36(2)). It names the objector and the agent, but prints no
address, phone or email (DOMAIN.md 17): whoever holds the tracking secret can fetch it.
The response letter (DOMAIN.md 10.6) carries the decision with its reasons (UU Pasal
36(3)), the order and its time limit, and the right to go to the KI (UU Pasal 37(2)).
"""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from ppid_kit.problems import CONFLICT, ProblemError, Text
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.intake.receipt import CHANNELS, local_time, unit_name
from requests_service.objections import repository
from requests_service.objections.models import Objection, ObjectionDecision
from requests_service.objections.texts import DECISION_WORDS, KI_RIGHT, reasons_text
from requests_service.objections.views import request_number, response_of
from requests_service.pdf import Document, Row, Section, render_pdf
from requests_service.texts import deadline_text, tanggal

NOT_DECIDED = Text(
    "Atasan PPID belum memberikan tanggapan atas keberatan ini.",
    "The Atasan PPID has not answered this objection yet.",
)
FOOTER = "Dokumen ini dibuat secara elektronik oleh Terbuka dan sah tanpa tanda tangan."
NOT_PRINTED = "tercatat pada PPID (tidak dicetak: pelindungan data pribadi)"


def _issuer(tree: UnitTree, objection: Objection) -> str:
    return f"PPID {unit_name(tree, objection.root_id)}"


def _person_rows(name: str, occupation: str | None, *, role: str) -> list[Row]:
    return [
        (f"Nama {role}", name),
        (f"Pekerjaan {role}", occupation or "-"),
        (f"Alamat dan kontak {role}", NOT_PRINTED),
    ]


async def receipt_document(session: AsyncSession, objection: Objection, tree: UnitTree) -> Document:
    """The numbered objection form as data (the layout is `render_pdf`'s)."""
    objector = await repository.objector(session, objection.id)
    identity: list[Row] = []
    if objector is not None:
        identity += _person_rows(objector.name, objector.occupation, role="pengaju")
        if objector.agent_name:
            identity += _person_rows(objector.agent_name, objector.agent_occupation, role="kuasa")
    zone = ZoneInfo(objection.time_zone)
    paragraphs = [
        f"Atasan PPID wajib memberikan tanggapan tertulis paling lambat "
        f"{deadline_text(objection.response_due, objection.time_zone)}: 30 hari kerja sejak "
        "keberatan diterima (UU 14/2008 Pasal 36 ayat (2)).",
    ]
    if objection.filed_late:
        paragraphs.append(
            "Catatan: keberatan diajukan setelah lewat 30 hari kerja sejak alasan keberatan "
            f"diketahui ({tanggal(objection.filing_due)}; UU 14/2008 Pasal 36 ayat (1)); "
            "keberatan tetap dicatat dan dinilai oleh Atasan PPID."
        )
    return Document(
        issuer=_issuer(tree, objection),
        title="Formulir Keberatan atas Permohonan Informasi Publik",
        subtitle="Undang-Undang Nomor 14 Tahun 2008 Pasal 35 dan 36 (salinan bagi pengaju)",
        sections=[
            Section(
                "Data keberatan",
                rows=[
                    ("Nomor registrasi keberatan", objection.objection_number),
                    (
                        "Nomor pendaftaran permohonan",
                        await request_number(session, objection)
                        or "- (informasi berkala, Pasal 35 ayat (1) huruf b)",
                    ),
                    ("Diterima", local_time(objection.received_at, objection.time_zone)),
                    ("Cara pengajuan", CHANNELS[objection.channel]),
                    ("Ditujukan kepada", f"Atasan PPID {unit_name(tree, objection.unit_id)}"),
                    ("Tujuan penggunaan informasi", objection.purpose),
                ],
            ),
            Section("Identitas", rows=identity),
            Section(
                "Alasan keberatan (Pasal 35 ayat (1))", paragraphs=reasons_text(objection.reasons)
            ),
            Section("Kasus posisi", paragraphs=[objection.case_position]),
            Section("Batas waktu tanggapan", paragraphs=paragraphs),
        ],
        place_and_date=tanggal(objection.received_at.astimezone(zone).date()),
        signatory="Petugas penerima keberatan",
        footer=FOOTER,
        metadata={"objection_number": objection.objection_number},
    )


async def receipt_pdf(session: AsyncSession, objection: Objection, tree: UnitTree) -> bytes:
    """The requester's numbered copy of the objection form (SLIP Pasal 39(4))."""
    document = await receipt_document(session, objection, tree)
    return await asyncio.to_thread(render_pdf, document)


def _decision_sections(objection: Objection) -> list[Section]:
    decision = objection.decision
    assert decision is not None
    rows: list[Row] = [("Keputusan", DECISION_WORDS[decision])]
    paragraphs: list[str] = []
    if objection.decision_reasons:
        paragraphs.append(f"Alasan: {objection.decision_reasons}")
    sections = [Section("Keputusan Atasan PPID", rows=rows, paragraphs=paragraphs)]
    if decision is ObjectionDecision.UPHELD_REQUESTER:
        due = objection.order_due
        sections.append(
            Section(
                "Perintah kepada PPID",
                paragraphs=[
                    objection.order_text or "-",
                    "Dilaksanakan paling lambat "
                    + (deadline_text(due, objection.time_zone) if due else "-")
                    + ".",
                ],
            )
        )
    return sections


async def response_document(
    session: AsyncSession, objection: Objection, tree: UnitTree
) -> Document:
    """The Atasan's response as data; 409 while the objection is undecided."""
    response = response_of(objection)
    if response is None:
        raise ProblemError(CONFLICT, NOT_DECIDED)
    rows: list[Row] = [
        ("Nomor surat", response.response_number),
        ("Tanggal", tanggal(response.response_date)),
        ("Nomor registrasi keberatan", objection.objection_number),
        ("Nomor pendaftaran permohonan", await request_number(session, objection) or "-"),
        ("Alasan keberatan", ", ".join(sorted(objection.reasons))),
    ]
    objector = await repository.objector(session, objection.id)
    recipient = [f"Kepada Yth. {objector.name}"] if objector is not None else []
    dispute = []
    if response.dispute_due is not None:
        dispute.append(
            "Batas akhir pengajuan sengketa: "
            f"{deadline_text(response.dispute_due, objection.time_zone)}."
        )
    signatory = "\n".join(part for part in (response.atasan_position, response.atasan_name) if part)
    return Document(
        issuer=_issuer(tree, objection),
        title="Tanggapan atas Keberatan",
        subtitle="Undang-Undang Nomor 14 Tahun 2008 Pasal 36",
        sections=[
            Section(rows=rows, paragraphs=recipient),
            Section(
                "Ringkasan keberatan",
                paragraphs=[response.objection_summary or "-", *reasons_text(objection.reasons)],
            ),
            *_decision_sections(objection),
            Section("Hak mengajukan sengketa informasi", paragraphs=[KI_RIGHT, *dispute]),
        ],
        place_and_date=tanggal(response.response_date),
        signatory=signatory or "Atasan PPID",
        footer=FOOTER,
        metadata={"response_number": response.response_number},
    )


async def response_pdf(session: AsyncSession, objection: Objection, tree: UnitTree) -> bytes:
    """The Atasan PPID's written response (DOMAIN.md 10.6); 409 before the decision."""
    document = await response_document(session, objection, tree)
    return await asyncio.to_thread(render_pdf, document)
