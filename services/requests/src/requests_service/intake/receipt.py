"""The tanda bukti penerimaan (UU Pasal 22(4) to (6)): the registration number as proof of receipt.

It names the requester but carries no NIK, address or phone (DOMAIN.md 17); the
tracking secret is printed only for a reader who presented it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from ppid_kit.unit_tree import UnitTree

from requests_service.core.models import (
    AccessMethod,
    Channel,
    CopyFormat,
    DeliveryMethod,
    InformationRequest,
    RequesterCategory,
)
from requests_service.pdf import Document, Section
from requests_service.texts import clock, tanggal, zone_abbreviation

CATEGORIES = {
    RequesterCategory.PERORANGAN: "Perorangan",
    RequesterCategory.BADAN_HUKUM: "Badan hukum",
    RequesterCategory.KELOMPOK_ORANG: "Kelompok orang",
}
CHANNELS = {
    Channel.ONLINE: "Daring (situs/aplikasi PPID)",
    Channel.WALK_IN: "Datang langsung",
    Channel.PHONE: "Telepon",
    Channel.LETTER: "Surat",
    Channel.EMAIL: "Email",
    Channel.FAX: "Faksimili",
    Channel.OTHER: "Lainnya",
}
ACCESS = {
    AccessMethod.VIEW: "Melihat/membaca/mendengarkan/mencatat",
    AccessMethod.OBTAIN_COPY: "Mendapatkan salinan",
}
COPY = {CopyFormat.SOFTCOPY: "softcopy", CopyFormat.HARDCOPY: "hardcopy"}
DELIVERY = {
    DeliveryMethod.PICKUP: "Mengambil langsung",
    DeliveryMethod.COURIER: "Kurir",
    DeliveryMethod.POST: "Pos",
    DeliveryMethod.FAX: "Faksimili",
    DeliveryMethod.EMAIL: "Email",
    DeliveryMethod.DOWNLOAD: "Unduh",
    DeliveryMethod.WHATSAPP: "WhatsApp",
}


def local_time(moment: dt.datetime, time_zone: str) -> str:
    """`2 Desember 2026, pukul 10.15 WIB`."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{tanggal(local.date())}, pukul {clock(local)} {zone_abbreviation(time_zone)}"


def unit_name(tree: UnitTree, unit_id: uuid.UUID) -> str:
    node = tree.nodes.get(unit_id)
    return (node.name or node.code) if node is not None else str(unit_id)


def receipt_document(
    request: InformationRequest,
    *,
    requester_name: str,
    tree: UnitTree,
    tracking_link: str,
    tracking_secret: str | None,
) -> Document:
    zone = zone_abbreviation(request.time_zone)
    access = ACCESS[request.access_method]
    if request.copy_format is not None:
        access += f" ({COPY[request.copy_format]})"
    tracking = [
        f"Pantau permohonan ini di {tracking_link} dengan nomor pendaftaran "
        f"{request.registration_number} dan kode pelacakan yang diberikan saat pendaftaran, "
        "atau melalui akun pemohon Anda.",
    ]
    if tracking_secret is not None:
        tracking.append(f"Kode pelacakan: {tracking_secret}")
    tracking.append("Simpan kode pelacakan; jangan berikan kepada orang lain.")
    root_name = unit_name(tree, request.root_id)
    return Document(
        issuer=f"PPID {root_name}",
        title="Tanda Bukti Penerimaan Permohonan Informasi Publik",
        subtitle="Undang-Undang Nomor 14 Tahun 2008 Pasal 22 ayat (4) sampai (6)",
        sections=[
            Section(
                "Data permohonan",
                rows=[
                    ("Nomor pendaftaran", request.registration_number),
                    ("Diterima", local_time(request.received_at, request.time_zone)),
                    ("Cara permohonan", CHANNELS[request.channel]),
                    ("Unit yang dituju", unit_name(tree, request.target_unit_id)),
                    ("Nama pemohon", requester_name),
                    ("Kategori pemohon", CATEGORIES[request.requester_category]),
                    ("Informasi yang dimohon", request.information_requested),
                    ("Tujuan penggunaan", request.purpose),
                    ("Cara memperoleh informasi", access),
                    ("Cara mendapatkan salinan", DELIVERY[request.delivery_method]),
                ],
            ),
            Section(
                "Batas waktu pemberitahuan tertulis",
                paragraphs=[
                    f"Pemberitahuan tertulis paling lambat {tanggal(request.notice_due)} "
                    f"pukul 24.00 {zone}: 10 hari kerja sejak permohonan diterima (Pasal 22 "
                    "ayat (7)), dapat diperpanjang paling lama 7 hari kerja dengan alasan "
                    "tertulis (Pasal 22 ayat (8))."
                ],
            ),
            Section("Pelacakan", paragraphs=tracking),
        ],
        place_and_date=tanggal(request.received_at.astimezone(ZoneInfo(request.time_zone))),
        signatory="Petugas Layanan Informasi",
        footer="Dokumen ini dibuat secara elektronik oleh Terbuka dan sah tanpa tanda tangan.",
        metadata={"registration_number": request.registration_number},
    )
