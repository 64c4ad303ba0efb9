"""The emails an objection's events send, queued in the event's transaction (the outbox).

`history.record_objection_event` calls `on_objection_event` after writing the event: the
objector hears of every step (filing: number, due date, tracking link; decision: summary,
order, the right to go to the KI), and the unit's PPID office hears of a new filing. No
personal data in a subject (subjects outlive the body in the outbox), none at all in the
office's email (officials read the identity through the audited endpoint), and never the
tracking secret.
"""

from __future__ import annotations

import uuid

from ppid_kit.outbox import enqueue_email
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.notify.config import config_for
from requests_service.notify.formatting import Email, compose
from requests_service.notify.templates import tracking_link
from requests_service.objections import repository
from requests_service.objections.models import (
    Objection,
    ObjectionDecision,
    ObjectionEvent,
    ObjectionState,
)
from requests_service.objections.texts import (
    DECISION_WORDS,
    KI_RIGHT,
    REACTION_WORDS,
    STATE_WORDS,
    reasons_text,
)
from requests_service.texts import deadline_text, moment_text

GREETING = "Yth. Pengaju Keberatan,"
TRACK_INTRO = "Pantau keberatan Anda di:"
TRACK_HINT = (
    "Untuk melihat rinciannya, masukkan kode pelacakan keberatan yang Anda terima saat "
    "keberatan didaftarkan. Demi keamanan, kode itu tidak pernah dikirim melalui email."
)
LEADS = {
    "file": (
        "Keberatan {number} telah diterima dan terdaftar. Atasan PPID wajib memberikan "
        "tanggapan tertulis paling lambat 30 hari kerja sejak keberatan diterima "
        "(UU 14/2008 Pasal 36 ayat (2))."
    ),
    "forward": "Keberatan {number} telah diteruskan kepada Atasan PPID.",
    "consultation": (
        "Keberatan {number} akan diselesaikan secara musyawarah (UU 14/2008 Pasal 35 ayat (2))."
    ),
    "decide": "Atasan PPID telah memberikan tanggapan tertulis atas keberatan {number}.",
    "execute-order": "PPID telah melaksanakan perintah Atasan PPID atas keberatan {number}.",
    "reaction": "Tanggapan Anda atas keputusan keberatan {number} telah dicatat.",
    "withdraw": "Keberatan {number} telah dicabut.",
}
GENERIC = "Status keberatan {number} berubah menjadi: {state}."


def _name(tree: UnitTree | None, unit_id: uuid.UUID) -> str | None:
    if tree is None or unit_id not in tree:
        return None
    return tree.node(unit_id).name or None


def _decision_facts(objection: Objection) -> list[tuple[str, str]]:
    zone = objection.time_zone
    facts: list[tuple[str, str]] = []
    if objection.decision is None:
        return facts
    facts.append(("Keputusan", DECISION_WORDS[ObjectionDecision(objection.decision)]))
    if objection.response_number:
        facts.append(("Nomor tanggapan", objection.response_number))
    if objection.objection_summary:
        facts.append(("Ringkasan keberatan", objection.objection_summary))
    if objection.decision_reasons:
        facts.append(("Alasan", objection.decision_reasons))
    if objection.order_text:
        facts.append(("Perintah kepada PPID", objection.order_text))
    if objection.order_due is not None:
        facts.append(("Batas waktu pelaksanaan perintah", deadline_text(objection.order_due, zone)))
    if objection.dispute_due is not None:
        facts.append(
            (
                "Batas pengajuan sengketa ke Komisi Informasi (14 hari kerja, Pasal 37 ayat (2))",
                deadline_text(objection.dispute_due, zone),
            )
        )
    return facts


def objector_email(
    objection: Objection, event: ObjectionEvent, link_base: str, root_name: str | None
) -> Email:
    """What the objector reads about `event`."""
    zone, state = objection.time_zone, ObjectionState(objection.state)
    values = {"number": objection.objection_number, "state": STATE_WORDS[state]}
    facts = [
        ("Nomor keberatan", objection.objection_number),
        ("Status", STATE_WORDS[state]),
        ("Diterima", moment_text(objection.received_at, zone)),
    ]
    if state in {ObjectionState.FILED, ObjectionState.WITH_ATASAN, ObjectionState.MUSYAWARAH}:
        facts.append(
            (
                "Batas waktu tanggapan Atasan PPID (30 hari kerja, Pasal 36 ayat (2))",
                deadline_text(objection.response_due, zone),
            )
        )
    facts += _decision_facts(objection)
    if objection.requester_reaction is not None and event.action == "reaction":
        facts.append(("Tanggapan Anda", REACTION_WORDS[objection.requester_reaction]))
    if event.note:
        facts.append(("Keterangan", event.note.strip()))
    paragraphs = [LEADS.get(event.action, GENERIC).format_map(values)]
    if event.action == "decide" and objection.decision != ObjectionDecision.SETTLED_BY_CONSULTATION:
        paragraphs.append(KI_RIGHT)
    signature = f"Salam,\nPPID {root_name}" if root_name else "Salam,\nPPID"
    return compose(
        subject=f"Keberatan {objection.objection_number}: {STATE_WORDS[state]}",
        greeting=GREETING,
        paragraphs=paragraphs,
        facts=facts,
        link=(TRACK_INTRO, tracking_link(link_base, objection.objection_number)),
        closing=[TRACK_HINT, signature],
    )


def office_email(objection: Objection, unit_name: str | None) -> Email:
    """The PPID office's notice of a new objection: its number, grounds and due date."""
    zone = objection.time_zone
    facts = [
        ("Nomor keberatan", objection.objection_number),
        ("Diterima", moment_text(objection.received_at, zone)),
        ("Alasan keberatan", "; ".join(reasons_text(objection.reasons))),
        (
            "Batas waktu tanggapan Atasan PPID (30 hari kerja, UU 14/2008 Pasal 36 ayat (2))",
            deadline_text(objection.response_due, zone),
        ),
    ]
    if objection.filed_late:
        facts.append(("Catatan", "diajukan setelah lewat 30 hari kerja (Pasal 36 ayat (1))"))
    return compose(
        subject=f"Keberatan baru {objection.objection_number}",
        greeting=f"Yth. PPID {unit_name}," if unit_name else "Yth. PPID,",
        paragraphs=[
            f"Keberatan {objection.objection_number} telah didaftarkan dan perlu diteruskan "
            "kepada Atasan PPID.",
        ],
        facts=facts,
        link=None,
        closing=["Salam,\nTerbuka (layanan informasi publik)"],
    )


def _office_address(tree: UnitTree | None, objection: Objection) -> str | None:
    if tree is None:
        return None
    for unit_id in (objection.unit_id, objection.root_id):
        if unit_id in tree and tree.node(unit_id).contact_email:
            return str(tree.node(unit_id).contact_email)
    return None


async def on_objection_event(
    session: AsyncSession, objection: Objection, event: ObjectionEvent
) -> None:
    """Queue the objector's email (when they gave an address) and, on filing, the office's."""
    config = config_for(session)
    tree = config.tree()
    objector = await repository.objector(session, objection.id)
    if objector is not None and objector.email:
        email = objector_email(
            objection, event, config.tracking_link_base, _name(tree, objection.root_id)
        )
        await enqueue_email(
            session, to=objector.email, subject=email.subject, text=email.text, html=email.html
        )
    address = _office_address(tree, objection) if event.action == "file" else None
    if address is not None:
        email = office_email(objection, _name(tree, objection.unit_id))
        await enqueue_email(
            session, to=address, subject=email.subject, text=email.text, html=email.html
        )
