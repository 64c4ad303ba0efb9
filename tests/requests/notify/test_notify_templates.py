"""Each requester email, one by one: subject, Indonesian body, deadlines in the root's zone,
the event's note, the tracking link; never the tracking secret, the NIK, the address or
the phone number (DOMAIN.md 17)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from requests_service.core.models import NoticeOutcome, RequestState
from requests_service.notify.formatting import Email
from requests_service.notify.templates import (
    OUTCOME_WORDS,
    STATE_WORDS,
    TEMPLATES,
    Occasion,
    action_key,
    requester_email,
    tracking_link,
)
from requests_service.texts import rupiah, zone_abbreviation

from tests.requests.notify.support import in_zone
from tests.requests.people import SITI
from tests.requests.support import new_request

BASE = "https://ppid.kota-contoh.example/lacak"
RECEIVED_AT = in_zone(dt.date(2026, 12, 3), 10, 15)  # a Thursday
D10 = dt.date(2026, 12, 17)
D17 = dt.date(2026, 12, 28)
FEES = {"notice_outcome": NoticeOutcome.GRANTED_PARTIAL, "fee_total": 25_000}


@dataclass(frozen=True)
class Case:
    action: str
    state: RequestState
    subject: str  # `{n}`: the registration number
    says: tuple[str, ...]
    fields: dict[str, Any] = field(default_factory=dict)
    note: str | None = None


CASES = (
    Case(
        "submit",
        RequestState.RECEIVED,
        "Permohonan informasi {n} diterima",
        (
            "terdaftar dengan nomor {n}",
            "- Status: diterima dan terdaftar",
            "- Diterima: Kamis, 3 Desember 2026 pukul 10.15 WIB",
            "- Batas waktu pemberitahuan tertulis (10 hari kerja, UU 14/2008 Pasal 22 ayat (7)): "
            "Kamis, 17 Desember 2026 pukul 24.00 WIB",
        ),
    ),
    Case(
        "verify", RequestState.VERIFIED, "Permohonan informasi {n} diverifikasi", ("diverifikasi",)
    ),
    Case(
        "mark-incomplete",
        RequestState.INCOMPLETE,
        "Permohonan informasi {n} perlu kelengkapan",
        ("- Status: perlu kelengkapan", "- Yang perlu dilengkapi: Surat kuasa bermeterai"),
        note="Surat kuasa bermeterai",
    ),
    Case("complete", RequestState.VERIFIED, "Permohonan informasi {n} telah lengkap", ("lengkap",)),
    Case(
        "reject-incomplete",
        RequestState.REJECTED_INCOMPLETE,
        "Permohonan informasi {n} tidak dapat diproses",
        ("- Status: tidak diproses karena persyaratan tidak dilengkapi",),
    ),
    Case(
        "assign",
        RequestState.IN_PROCESS,
        "Permohonan informasi {n} sedang diproses",
        ("sedang diproses oleh Dinas Kesehatan", "- Unit yang menangani: Dinas Kesehatan"),
    ),
    Case(
        "dispose",
        RequestState.FORWARDED_INTERNAL,
        "Permohonan informasi {n} dialihkan",
        ("(didisposisikan) kepada Dinas Kesehatan", "Batas waktu pemberitahuan tertulis"),
    ),
    Case(
        "accept",
        RequestState.IN_PROCESS,
        "Permohonan informasi {n} diproses unit tujuan",
        ("Dinas Kesehatan telah menerima disposisi",),
    ),
    Case(
        "extend",
        RequestState.EXTENDED,
        "Permohonan informasi {n} diperpanjang",
        (
            "Pasal 22 ayat (8)",
            "- Alasan perpanjangan: Informasi tersimpan di arsip inaktif",
            "- Batas waktu setelah perpanjangan (7 hari kerja, Pasal 22 ayat (8)): "
            "Senin, 28 Desember 2026 pukul 24.00 WIB",
        ),
        {"extended_due": D17, "extension_reason": "Informasi tersimpan di arsip inaktif"},
        note="Informasi tersimpan di arsip inaktif",
    ),
    Case(
        "issue-notice",
        RequestState.NOTICE_SENT,
        "Pemberitahuan tertulis atas permohonan informasi {n}",
        (
            "keputusannya: permohonan dikabulkan sebagian",
            "- Keputusan: permohonan dikabulkan sebagian",
            "- Informasi disediakan paling lambat: Senin, 28 Desember 2026 pukul 24.00 WIB",
            "- Biaya salinan: Rp25.000",
            "mengajukan keberatan",
        ),
        {**FEES, "promised_delivery_date": D17},
    ),
    Case(
        "await-payment",
        RequestState.AWAITING_PAYMENT,
        "Permohonan informasi {n} menunggu pembayaran",
        ("biaya salinan sebesar Rp25.000", "- Status: menunggu pembayaran biaya salinan"),
        FEES,
    ),
    Case(
        "record-payment",
        RequestState.DELIVERED,
        "Pembayaran permohonan informasi {n} diterima",
        ("sebesar Rp25.000",),
        FEES,
    ),
    Case(
        "deliver",
        RequestState.DELIVERED,
        "Informasi telah diserahkan: permohonan {n}",
        ("- Status: informasi telah diserahkan",),
        {"notice_outcome": NoticeOutcome.GRANTED_FULL},
    ),
    Case("close", RequestState.CLOSED, "Permohonan informasi {n} selesai", ("- Status: selesai",)),
    Case(
        "issue_notice",
        RequestState.NOTICE_SENT,
        "Pemberitahuan tertulis atas permohonan informasi {n}",
        ("mengajukan keberatan",),
        {"notice_outcome": NoticeOutcome.REFUSED},
    ),
    Case(
        "withdraw",
        RequestState.WITHDRAWN,
        "Permohonan informasi {n} dicabut",
        ("- Status: dicabut oleh pemohon",),
    ),
    Case(
        "recalculate",
        RequestState.IN_PROCESS,
        "Batas waktu permohonan informasi {n} diperbarui",
        ("dihitung ulang", "Kamis, 17 Desember 2026 pukul 24.00 WIB"),
    ),
    # The system's close after a notice that grants nothing (workflow: `close`, actor system).
    Case(
        "close",
        RequestState.CLOSED,
        "Permohonan informasi {n} selesai",
        ("- Keputusan: informasi belum didokumentasikan",),
        {"notice_outcome": NoticeOutcome.NOT_DOCUMENTED},
    ),
    # An action no template knows: a generic message that still says the state.
    Case(
        "note-added",
        RequestState.IN_PROCESS,
        "Status permohonan informasi {n}: sedang diproses",
        ("Status permohonan informasi Anda kini: sedang diproses.", "- Keterangan dari PPID: Oke"),
        note="Oke",
    ),
)


def render(case: Case, time_zone: str = "Asia/Jakarta") -> tuple[Email, str, str]:
    """The email of `case`, the request's number and its tracking secret."""
    request, secret = new_request(
        received_at=RECEIVED_AT,
        notice_due=D10,
        time_zone=time_zone,
        state=case.state,
        **case.fields,
    )
    occasion = Occasion(
        request=request,
        action=case.action,
        note=case.note,
        unit_name="Dinas Kesehatan",
        root_name="Pemerintah Kota Contoh",
    )
    return requester_email(occasion, BASE), request.registration_number, secret


def test_every_template_has_its_case() -> None:
    assert {action_key(case.action) for case in CASES} >= set(TEMPLATES)


def test_every_state_and_outcome_has_its_words() -> None:
    assert set(STATE_WORDS) == set(RequestState)
    assert set(OUTCOME_WORDS) == set(NoticeOutcome)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.action)
def test_the_email_of_each_action(case: Case) -> None:
    email, number, secret = render(case)
    assert email.subject == case.subject.format(n=number)
    for phrase in case.says:
        assert phrase.format(n=number) in email.text, f"{phrase!r} missing:\n{email.text}"
    assert email.text.startswith("Yth. Pemohon Informasi Publik,\n\n")
    assert "- Nomor pendaftaran: " + number in email.text
    assert "WIB" in email.text
    link = tracking_link(BASE, number)
    assert f"Pantau perkembangan permohonan Anda di:\n{link}\n" in email.text
    assert f'<a href="{link}">' in email.html
    assert "Salam,\nPPID Pemerintah Kota Contoh" in email.text
    for text in (email.subject, email.text, email.html):
        assert secret not in text
        for value in (*SITI.secrets, SITI.name, SITI.email):
            assert value not in text


@pytest.mark.parametrize(
    ("zone", "abbreviation", "received"),
    [
        ("Asia/Jakarta", "WIB", "09.15"),
        ("Asia/Makassar", "WITA", "10.15"),
        ("Asia/Jayapura", "WIT", "11.15"),
    ],
)
def test_times_are_in_the_roots_zone_with_its_abbreviation(
    zone: str, abbreviation: str, received: str
) -> None:
    case = Case("submit", RequestState.RECEIVED, "", ())
    request, _ = new_request(
        received_at=dt.datetime(2026, 12, 3, 2, 15, tzinfo=dt.UTC),
        notice_due=D10,
        time_zone=zone,
        state=case.state,
    )
    email = requester_email(Occasion(request=request, action="submit"), BASE)
    assert f"- Diterima: Kamis, 3 Desember 2026 pukul {received} {abbreviation}\n" in email.text
    assert f"Kamis, 17 Desember 2026 pukul 24.00 {abbreviation}\n" in email.text
    assert zone_abbreviation(zone) == abbreviation


def test_without_a_known_unit_the_email_still_reads_well() -> None:
    request, _ = new_request(received_at=RECEIVED_AT, notice_due=D10, state=RequestState.IN_PROCESS)
    email = requester_email(Occasion(request=request, action="assign"), BASE)
    assert "sedang diproses oleh unit yang menguasai informasi." in email.text
    assert "Unit yang menangani" not in email.text
    assert "Salam,\nPPID\n" in email.text


def test_the_note_is_escaped_in_the_html() -> None:
    case = Case("mark-incomplete", RequestState.INCOMPLETE, "", (), note="<b>KTP</b> & kuasa")
    email, _, _ = render(case)
    assert "- Yang perlu dilengkapi: <b>KTP</b> & kuasa" in email.text
    assert "&lt;b&gt;KTP&lt;/b&gt; &amp; kuasa" in email.html
    assert "<b>KTP</b>" not in email.html


def test_the_tracking_link_keeps_the_bases_query_and_encodes_the_number() -> None:
    number = "KOTA-CONTOH/DINKES/PI/2026/00001"
    assert tracking_link(BASE, number) == f"{BASE}?nomor=KOTA-CONTOH%2FDINKES%2FPI%2F2026%2F00001"
    assert tracking_link(BASE + "?lang=id", "A/1") == f"{BASE}?lang=id&nomor=A%2F1"


def test_rupiah_groups_thousands_with_dots() -> None:
    assert (rupiah(0), rupiah(5_000), rupiah(1_250_000)) == ("Rp0", "Rp5.000", "Rp1.250.000")
