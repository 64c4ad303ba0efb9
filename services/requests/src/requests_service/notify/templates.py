"""The emails a requester receives when their request changes (issue 5 point 7).

Templates are data: `TEMPLATES` maps an action of the state machine (DOMAIN.md 9.2)
to its subject and lead; the rest of the body is built from the request itself (its
state in words, the deadlines in the root's time zone, the event's note, where to
track it). An action not in the table gets `GENERIC`, which still says the new state.

Never in an email: the tracking secret (only its hash is kept anyway), the NIK, the
address or the phone number. No personal data in a subject either: subjects stay in
the outbox after the message is sent and blanked (`ppid_kit.outbox`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlencode, urlsplit, urlunsplit

from requests_service.core.models import (
    NOTICE_PENDING_STATES,
    InformationRequest,
    NoticeOutcome,
    RequestState,
)
from requests_service.notify.formatting import Email, compose
from requests_service.texts import deadline_text, moment_text, rupiah

GREETING = "Yth. Pemohon Informasi Publik,"
OBJECTION = (
    "Apabila Anda tidak puas atas tanggapan ini, Anda dapat mengajukan keberatan secara "
    "tertulis kepada Atasan PPID paling lambat 30 hari kerja (UU 14/2008 Pasal 35 dan 36)."
)
TRACK_INTRO = "Pantau perkembangan permohonan Anda di:"
TRACK_HINT = (
    "Untuk melihat rinciannya, masukkan kode pelacakan yang Anda terima saat permohonan "
    "didaftarkan. Demi keamanan, kode itu tidak pernah dikirim melalui email."
)

STATE_WORDS: Mapping[RequestState, str] = MappingProxyType(
    {
        RequestState.RECEIVED: "diterima dan terdaftar",
        RequestState.INCOMPLETE: "perlu kelengkapan",
        RequestState.VERIFIED: "telah diverifikasi",
        RequestState.IN_PROCESS: "sedang diproses",
        RequestState.FORWARDED_INTERNAL: "dialihkan ke unit lain (didisposisikan)",
        RequestState.EXTENDED: "jangka waktu diperpanjang",
        RequestState.NOTICE_SENT: "pemberitahuan tertulis telah diterbitkan",
        RequestState.AWAITING_PAYMENT: "menunggu pembayaran biaya salinan",
        RequestState.DELIVERED: "informasi telah diserahkan",
        RequestState.CLOSED: "selesai",
        RequestState.WITHDRAWN: "dicabut oleh pemohon",
        RequestState.REJECTED_INCOMPLETE: "tidak diproses karena persyaratan tidak dilengkapi",
    }
)
OUTCOME_WORDS: Mapping[NoticeOutcome, str] = MappingProxyType(
    {
        NoticeOutcome.GRANTED_FULL: "permohonan dikabulkan seluruhnya",
        NoticeOutcome.GRANTED_PARTIAL: "permohonan dikabulkan sebagian",
        NoticeOutcome.REFUSED: "permohonan ditolak karena informasi dikecualikan (UU Pasal 17)",
        NoticeOutcome.NOT_HELD_FORWARDED: (
            "informasi tidak dikuasai; permohonan diteruskan ke badan publik yang menguasainya"
        ),
        NoticeOutcome.NOT_HELD_UNKNOWN: (
            "informasi tidak dikuasai dan tidak diketahui keberadaannya"
        ),
        NoticeOutcome.NOT_DOCUMENTED: "informasi belum didokumentasikan",
    }
)


@dataclass(frozen=True)
class Template:
    """Subject and lead of one action; `{number}`, `{state}`, `{unit}`, `{outcome}` and
    `{fee}` are filled in. `note_label` names the event's note in the body."""

    subject: str
    lead: str
    note_label: str = "Keterangan dari PPID"
    more: tuple[str, ...] = ()


def _about(what: str) -> str:
    return f"Permohonan informasi {{number}} {what}"


TEMPLATES: Mapping[str, Template] = MappingProxyType(
    {
        "submit": Template(
            _about("diterima"),
            "Permohonan informasi Anda telah kami terima dan terdaftar dengan nomor {number}. "
            "PPID wajib menyampaikan pemberitahuan tertulis paling lambat 10 hari kerja sejak "
            "permohonan diterima (UU 14/2008 Pasal 22 ayat (7)).",
        ),
        "verify": Template(
            _about("diverifikasi"),
            "Identitas dan kelengkapan permohonan informasi Anda telah diverifikasi; "
            "permohonan Anda segera diproses.",
        ),
        "mark_incomplete": Template(
            _about("perlu kelengkapan"),
            "Permohonan informasi Anda belum lengkap. Mohon lengkapi kekurangan berikut "
            "agar permohonan Anda dapat diproses.",
            note_label="Yang perlu dilengkapi",
        ),
        "complete": Template(
            _about("telah lengkap"),
            "Kelengkapan permohonan informasi Anda telah kami terima dan diverifikasi.",
        ),
        "reject_incomplete": Template(
            _about("tidak dapat diproses"),
            "Mohon maaf, permohonan informasi Anda tidak dapat diproses karena persyaratannya "
            "tidak dilengkapi. Anda dapat mengajukan permohonan baru dengan persyaratan lengkap.",
        ),
        "assign": Template(
            _about("sedang diproses"),
            "Permohonan informasi Anda sedang diproses oleh {unit}.",
        ),
        "dispose": Template(
            _about("dialihkan"),
            "Permohonan informasi Anda dialihkan (didisposisikan) kepada {unit}, yang menguasai "
            "informasi tersebut. Batas waktu pemberitahuan tertulis tidak berubah.",
        ),
        "accept": Template(
            _about("diproses unit tujuan"),
            "{unit} telah menerima disposisi dan sedang memproses permohonan informasi Anda.",
        ),
        "extend": Template(
            _about("diperpanjang"),
            "Jangka waktu pemberitahuan tertulis atas permohonan informasi Anda diperpanjang "
            "paling lama 7 hari kerja (UU 14/2008 Pasal 22 ayat (8)).",
            note_label="Alasan perpanjangan",
        ),
        "issue_notice": Template(
            "Pemberitahuan tertulis atas permohonan informasi {number}",
            "PPID telah menerbitkan pemberitahuan tertulis atas permohonan informasi Anda "
            "(UU 14/2008 Pasal 22 ayat (7)); keputusannya: {outcome}.",
            more=(OBJECTION,),
        ),
        # The system's step after a notice with fees (`workflow.rules.AWAIT_PAYMENT`).
        "await_payment": Template(
            _about("menunggu pembayaran"),
            "Permohonan informasi Anda menunggu pembayaran biaya salinan sebesar {fee} "
            "sebagaimana tercantum dalam pemberitahuan tertulis. Informasi diserahkan setelah "
            "pembayaran diterima.",
        ),
        "record_payment": Template(
            "Pembayaran permohonan informasi {number} diterima",
            "Pembayaran biaya salinan sebesar {fee} untuk permohonan informasi Anda telah "
            "kami terima. Informasi segera diserahkan.",
        ),
        "deliver": Template(
            "Informasi telah diserahkan: permohonan {number}",
            "Informasi yang Anda minta telah diserahkan.",
        ),
        # Also the system's step after a notice that grants nothing (DOMAIN.md 9.2).
        "close": Template(
            _about("selesai"),
            "Permohonan informasi Anda telah selesai. Terima kasih telah menggunakan layanan "
            "informasi publik.",
        ),
        "withdraw": Template(
            _about("dicabut"),
            "Permohonan informasi Anda telah dicabut dan tidak diproses lebih lanjut.",
        ),
        "recalculate": Template(
            "Batas waktu permohonan informasi {number} diperbarui",
            "Batas waktu permohonan informasi Anda dihitung ulang karena perubahan kalender "
            "hari kerja. Batas waktu yang berlaku tercantum di bawah ini.",
        ),
    }
)
GENERIC = Template(
    "Status permohonan informasi {number}: {state}",
    "Status permohonan informasi Anda kini: {state}.",
)


def action_key(action: str) -> str:
    """`issue-notice` (the workflow's route and event name) is `issue_notice` here."""
    return action.strip().lower().replace("-", "_").replace(" ", "_")


def template_for(action: str) -> Template:
    return TEMPLATES.get(action_key(action), GENERIC)


@dataclass(frozen=True)
class Occasion:
    """What happened to a request, and what the email may say about where it is handled."""

    request: InformationRequest
    action: str
    note: str | None = None
    unit_name: str | None = None
    root_name: str | None = None

    @property
    def state(self) -> RequestState:
        return RequestState(self.request.state)


def tracking_link(base: str, number: str) -> str:
    """`base?nomor=…`: a registration number holds slashes, so it goes in the query."""
    parts = urlsplit(base)
    query = f"{parts.query}&" if parts.query else ""
    return urlunsplit(parts._replace(query=query + urlencode({"nomor": number})))


def _facts(occasion: Occasion, note_label: str) -> list[tuple[str, str]]:
    request, zone, state = occasion.request, occasion.request.time_zone, occasion.state
    facts = [("Nomor pendaftaran", request.registration_number), ("Status", STATE_WORDS[state])]
    if occasion.unit_name:
        facts.append(("Unit yang menangani", occasion.unit_name))
    facts.append(("Diterima", moment_text(request.received_at, zone)))
    if state in NOTICE_PENDING_STATES:
        facts.append(
            (
                "Batas waktu pemberitahuan tertulis (10 hari kerja, UU 14/2008 Pasal 22 ayat (7))",
                deadline_text(request.notice_due, zone),
            )
        )
        if request.extended_due is not None:
            facts.append(
                (
                    "Batas waktu setelah perpanjangan (7 hari kerja, Pasal 22 ayat (8))",
                    deadline_text(request.extended_due, zone),
                )
            )
    if request.notice_outcome is not None and state not in NOTICE_PENDING_STATES:
        # The decision stays worth repeating in every later email (delivery, closing…).
        facts.append(("Keputusan", OUTCOME_WORDS[NoticeOutcome(request.notice_outcome)]))
    payable = state in {RequestState.NOTICE_SENT, RequestState.AWAITING_PAYMENT}
    if payable and request.promised_delivery_date is not None:
        facts.append(
            (
                "Informasi disediakan paling lambat",
                deadline_text(request.promised_delivery_date, zone),
            )
        )
    if payable and request.fee_total > 0:
        facts.append(("Biaya salinan", rupiah(request.fee_total)))
    if occasion.note:
        facts.append((note_label, occasion.note.strip()))
    return facts


def requester_email(occasion: Occasion, tracking_link_base: str) -> Email:
    """The email telling the requester what `occasion` changed."""
    template = template_for(occasion.action)
    request = occasion.request
    outcome = request.notice_outcome
    values = {
        "number": request.registration_number,
        "state": STATE_WORDS[occasion.state],
        "unit": occasion.unit_name or "unit yang menguasai informasi",
        "outcome": "-" if outcome is None else OUTCOME_WORDS[NoticeOutcome(outcome)],
        "fee": rupiah(request.fee_total),
    }
    signature = f"Salam,\nPPID {occasion.root_name}" if occasion.root_name else "Salam,\nPPID"
    return compose(
        subject=template.subject.format_map(values),
        greeting=GREETING,
        paragraphs=[template.lead.format_map(values), *template.more],
        facts=_facts(occasion, template.note_label),
        link=(TRACK_INTRO, tracking_link(tracking_link_base, request.registration_number)),
        closing=[TRACK_HINT, signature],
    )
