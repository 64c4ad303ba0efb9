"""The email of a deadline reminder, to the handling unit's PPID office.

It names the request by its registration number and says what is due and when, in
the root's time zone; nothing about the requester (DOMAIN.md 17: officials read the
identity through the audited endpoint, never from their mailbox).
"""

from __future__ import annotations

import datetime as dt

from ppid_kit.unit_tree import UnitTree

from requests_service.core.models import InformationRequest, RequestState
from requests_service.notify.formatting import Email, compose
from requests_service.notify.models import ReminderKind
from requests_service.notify.templates import STATE_WORDS
from requests_service.texts import deadline_text, moment_text

BASIS = {
    ReminderKind.NOTICE: "10 hari kerja sejak permohonan diterima, UU 14/2008 Pasal 22 ayat (7)",
    ReminderKind.EXTENDED_NOTICE: (
        "diperpanjang 7 hari kerja berikutnya, UU 14/2008 Pasal 22 ayat (8)"
    ),
}
WHAT_NEXT = {
    ReminderKind.NOTICE: (
        "Bila diperlukan, jangka waktu ini dapat diperpanjang satu kali paling lama 7 hari "
        "kerja dengan alasan tertulis (UU 14/2008 Pasal 22 ayat (8))."
    ),
    ReminderKind.EXTENDED_NOTICE: (
        "Jangka waktu ini sudah diperpanjang dan tidak dapat diperpanjang lagi. Tanpa "
        "pemberitahuan tertulis, pemohon dapat mengajukan keberatan (UU 14/2008 Pasal 35)."
    ),
}


def _left(days: int) -> str:
    return "hari ini hari kerja terakhir" if days == 0 else f"tinggal {days} hari kerja lagi"


def reminder_email(
    request: InformationRequest,
    kind: ReminderKind,
    due: dt.date,
    working_days_left: int,
    tree: UnitTree,
) -> Email:
    zone = request.time_zone
    unit = tree.node(request.unit_id).name if request.unit_id in tree else ""
    number = request.registration_number
    facts = [
        ("Nomor pendaftaran", number),
        ("Status", STATE_WORDS[RequestState(request.state)]),
        ("Diterima", moment_text(request.received_at, zone)),
        (f"Batas waktu pemberitahuan tertulis ({BASIS[kind]})", deadline_text(due, zone)),
    ]
    return compose(
        subject=f"Pengingat: pemberitahuan tertulis permohonan {number} jatuh tempo",
        greeting=f"Yth. PPID {unit}," if unit else "Yth. PPID,",
        paragraphs=[
            f"Permohonan informasi {number} belum mendapat pemberitahuan tertulis; batas "
            f"waktunya {_left(working_days_left)} ({deadline_text(due, zone)}).",
            WHAT_NEXT[kind],
        ],
        facts=facts,
        link=None,
        closing=["Salam,\nTerbuka (layanan informasi publik)"],
    )
