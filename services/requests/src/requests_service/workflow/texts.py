"""The Indonesian wording of notices and decrees: grounds and labels (dates: `texts`)."""

from __future__ import annotations

import datetime as dt

from requests_service.core.models import CopyFormat, DeliveryMethod, NoticeOutcome
from requests_service.texts import tanggal
from requests_service.workflow.models import ExemptionGround

# UU 14/2008 Pasal 17: information whose opening would …
GROUND_TEXT: dict[ExemptionGround, str] = {
    ExemptionGround.A: "dapat menghambat proses penegakan hukum",
    ExemptionGround.B: (
        "dapat mengganggu kepentingan perlindungan hak atas kekayaan intelektual dan "
        "perlindungan dari persaingan usaha tidak sehat"
    ),
    ExemptionGround.C: "dapat membahayakan pertahanan dan keamanan negara",
    ExemptionGround.D: "dapat mengungkapkan kekayaan alam Indonesia",
    ExemptionGround.E: "dapat merugikan ketahanan ekonomi nasional",
    ExemptionGround.F: "dapat merugikan kepentingan hubungan luar negeri",
    ExemptionGround.G: (
        "dapat mengungkapkan isi akta otentik yang bersifat pribadi dan kemauan terakhir "
        "ataupun wasiat seseorang"
    ),
    ExemptionGround.H: "dapat mengungkap rahasia pribadi",
    ExemptionGround.I: (
        "mengungkap memorandum atau surat-surat antar Badan Publik atau intra Badan Publik "
        "yang menurut sifatnya dirahasiakan, kecuali atas putusan Komisi Informasi atau "
        "pengadilan"
    ),
    ExemptionGround.J: (
        "mengungkap informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang"
    ),
}

OUTCOME_TEXT: dict[NoticeOutcome, str] = {
    NoticeOutcome.GRANTED_FULL: "Informasi dapat diberikan seluruhnya",
    NoticeOutcome.GRANTED_PARTIAL: "Informasi dapat diberikan sebagian",
    NoticeOutcome.REFUSED: "Permohonan ditolak: informasi yang dikecualikan",
    NoticeOutcome.NOT_HELD_FORWARDED: "Informasi tidak dikuasai; dikuasai badan publik lain",
    NoticeOutcome.NOT_HELD_UNKNOWN: "Informasi belum dikuasai",
    NoticeOutcome.NOT_DOCUMENTED: "Informasi belum didokumentasikan",
}

FORM_TEXT: dict[CopyFormat, str] = {
    CopyFormat.SOFTCOPY: "Softcopy (termasuk rekaman)",
    CopyFormat.HARDCOPY: "Hardcopy (salinan tertulis)",
}

DELIVERY_TEXT: dict[DeliveryMethod, str] = {
    DeliveryMethod.PICKUP: "Diambil langsung",
    DeliveryMethod.COURIER: "Kurir",
    DeliveryMethod.POST: "Pos",
    DeliveryMethod.FAX: "Faksimili",
    DeliveryMethod.EMAIL: "Surat elektronik (email)",
    DeliveryMethod.DOWNLOAD: "Unduhan",
    DeliveryMethod.WHATSAPP: "WhatsApp",
}

ROLE_TEXT = {"ppid_utama": "PPID Utama", "ppid_pelaksana": "PPID Pelaksana"}

DEFAULT_PAYMENT = (
    "Pembayaran tunai di loket layanan informasi dengan kuitansi rinci, atau transfer ke "
    "rekening resmi badan publik; biaya dibayar sebelum informasi diserahkan."
)


def ground_citation(ground: ExemptionGround, number: str | None) -> str:
    number_part = f" angka {number}" if number else ""
    return f"Pasal 17 huruf {ground.value}{number_part} UU Nomor 14 Tahun 2008"


def objection_statement(due: dt.date) -> str:
    """UU Pasal 35(1)(a), 36(1): the right to object to the Atasan PPID."""
    return (
        "Pemohon berhak mengajukan keberatan atas penolakan ini kepada Atasan PPID paling lambat "
        "30 (tiga puluh) hari kerja sejak diterimanya keputusan ini (Pasal 35 ayat (1) huruf a "
        f"dan Pasal 36 ayat (1) UU Nomor 14 Tahun 2008), yaitu sampai dengan {tanggal(due)} "
        "bila keputusan ini diterima pada tanggal ditetapkannya."
    )


def place_of(root_name: str) -> str:
    """`Pemerintah Kota Contoh` is signed in `Kota Contoh`."""
    return root_name.removeprefix("Pemerintah ").strip() or root_name
