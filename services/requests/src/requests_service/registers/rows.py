"""The rows of the register of requests (DOMAIN.md 8.7), with Indonesian headers.

Personal columns (name, address, contact, occupation) are filled only for officials
who handle the request's unit (DOMAIN.md 17); the NIK is never a column.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.calendar.clock import WorkCalendar
from requests_service.calendar.service import load_calendar
from requests_service.core.models import (
    AccessMethod,
    InformationRequest,
    NoticeOutcome,
    RequesterIdentity,
)
from requests_service.registers.common import received_in_year, registration_order
from requests_service.workflow.models import Holder, RefusalDecree, RequestNotice

HIDDEN = "(disembunyikan)"
HEADERS = [
    "No.",
    "Nomor Pendaftaran",
    "Tanggal Permohonan Diterima",
    "Nama",
    "Alamat",
    "Nomor Kontak",
    "Pekerjaan",
    "Informasi yang Diminta",
    "Tujuan Penggunaan Informasi",
    "Status Informasi",
    "Bentuk Informasi",
    "Jenis Permohonan",
    "Keputusan",
    "Alasan Penolakan",
    "Hari dan Tanggal Pemberitahuan Tertulis",
    "Biaya dan Cara Pembayaran",
    "Tanggal Penyerahan",
    "Cara Penyerahan",
    "Jumlah Hari Kerja",
    "Unit Penangan",
    "Status",
]
_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_DECISIONS = {
    NoticeOutcome.GRANTED_FULL: "diberikan seluruhnya",
    NoticeOutcome.GRANTED_PARTIAL: "diberikan sebagian",
    NoticeOutcome.REFUSED: "ditolak",
    NoticeOutcome.NOT_HELD_FORWARDED: "tidak dapat diberikan (tidak dikuasai)",
    NoticeOutcome.NOT_HELD_UNKNOWN: "tidak dapat diberikan (tidak dikuasai)",
    NoticeOutcome.NOT_DOCUMENTED: "tidak dapat diberikan (belum didokumentasikan)",
}
_PAYMENTS = {
    "cash_at_counter": "tunai di loket",
    "bank_transfer_official_account": "transfer ke rekening resmi",
    "waived": "dibebaskan",
}
_DELIVERY = {
    "pickup": "mengambil langsung",
    "courier": "kurir",
    "post": "pos",
    "fax": "faksimili",
    "email": "surel",
    "download": "unduhan",
    "whatsapp": "WhatsApp",
}
_STATES = {
    "received": "diterima",
    "incomplete": "belum lengkap",
    "verified": "terverifikasi",
    "in_process": "diproses",
    "forwarded_internal": "diteruskan ke unit lain",
    "extended": "diperpanjang",
    "notice_sent": "pemberitahuan tertulis dikirim",
    "awaiting_payment": "menunggu pembayaran",
    "delivered": "informasi diserahkan",
    "closed": "selesai",
    "withdrawn": "dicabut",
    "rejected_incomplete": "ditolak (tidak lengkap)",
}


@dataclass(frozen=True)
class Entry:
    request: InformationRequest
    identity: RequesterIdentity | None
    notice: RequestNotice | None
    decree: RefusalDecree | None


async def load_entries(
    session: AsyncSession, root_id: uuid.UUID, unit_ids: set[uuid.UUID], year: int
) -> list[Entry]:
    """The requests of `unit_ids` received in `year` (local to the request's zone), in
    registration order."""
    stmt = (
        sa.select(InformationRequest, RequesterIdentity, RequestNotice, RefusalDecree)
        .outerjoin(RequesterIdentity, RequesterIdentity.request_id == InformationRequest.id)  # type: ignore[arg-type]
        .outerjoin(RequestNotice, RequestNotice.request_id == InformationRequest.id)  # type: ignore[arg-type]
        .outerjoin(RefusalDecree, RefusalDecree.request_id == InformationRequest.id)  # type: ignore[arg-type]
        .where(received_in_year(InformationRequest, root_id, unit_ids, year))
        .order_by(*registration_order(InformationRequest))
    )
    found = await session.execute(stmt)
    return [Entry(*row) for row in found.all()]


def _local(moment: dt.datetime | None, zone: str) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(ZoneInfo(zone))


def _day(moment: dt.datetime | None, zone: str) -> str:
    local = _local(moment, zone)
    return "" if local is None else f"{_DAYS[local.weekday()]}, {local.date().isoformat()}"


def _rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def information_status(notice: RequestNotice | None) -> str:
    if notice is None:
        return ""
    if notice.outcome is NoticeOutcome.NOT_DOCUMENTED:
        return "belum didokumentasikan"
    if notice.outcome is NoticeOutcome.NOT_HELD_UNKNOWN:
        return "tidak dikuasai"
    if notice.outcome is NoticeOutcome.NOT_HELD_FORWARDED or notice.holder is Holder.OTHER_BODY:
        body = notice.holder_body or ""
        return f"tidak dikuasai; dikuasai oleh {body}" if body else "tidak dikuasai"
    return "dikuasai"


def refusal_reason(notice: RequestNotice | None, decree: RefusalDecree | None) -> str:
    if notice is None:
        return ""
    if notice.outcome is NoticeOutcome.REFUSED:
        if decree is None:
            return "dikecualikan"
        reason = f"Pasal 17 huruf {decree.ground.value}"
        if decree.ground_number:
            reason += f" angka {decree.ground_number}"
        if decree.other_law:
            reason += f"; {decree.other_law}"
        return reason
    if notice.outcome in (NoticeOutcome.NOT_HELD_FORWARDED, NoticeOutcome.NOT_HELD_UNKNOWN):
        return "tidak dikuasai"
    if notice.outcome is NoticeOutcome.NOT_DOCUMENTED:
        return "belum didokumentasikan"
    return ""


def request_kind(request: InformationRequest) -> str:
    if request.access_method is AccessMethod.VIEW:
        return "melihat/membaca/mendengarkan/mencatat"
    return f"salinan ({request.copy_format.value})" if request.copy_format else "salinan"


def fees(request: InformationRequest, notice: RequestNotice | None) -> str:
    if notice is None:
        return ""
    total = notice.fee_total
    if total == 0:
        return "tanpa biaya"
    method = _PAYMENTS.get(request.payment_method or "", request.payment_method or "")
    return f"{_rupiah(total)}; {method}" if method else _rupiah(total)


def working_days(entry: Entry, calendar: WorkCalendar | None) -> str:
    local = _local(entry.notice.issued_at if entry.notice else None, entry.request.time_zone)
    if local is None or calendar is None:
        return ""
    return str(calendar.working_days_between(entry.request.receipt_date, local.date()))


def contact(identity: RequesterIdentity) -> str:
    return " / ".join(value for value in (identity.phone, identity.email) if value)


def register_row(
    number: int,
    entry: Entry,
    *,
    personal: bool,
    calendar: WorkCalendar | None,
    unit_name: str,
) -> list[str]:
    request, identity, notice = entry.request, entry.identity, entry.notice
    zone = request.time_zone
    received = _local(request.received_at, zone)
    delivered = _local(request.delivered_at, zone)
    if identity is None:
        who = ["", "", "", ""]
    elif personal:
        who = [identity.name, identity.address or "", contact(identity), identity.occupation or ""]
    else:
        who = [HIDDEN] * 4
    via = request.delivered_via.value if request.delivered_via else ""
    return [
        str(number),
        request.registration_number,
        "" if received is None else received.strftime("%Y-%m-%d %H:%M"),
        *who,
        request.information_requested,
        request.purpose,
        information_status(notice),
        ", ".join(notice.available_forms) if notice else "",
        request_kind(request),
        _DECISIONS[notice.outcome] if notice else "",
        refusal_reason(notice, entry.decree),
        _day(notice.issued_at if notice else None, zone),
        fees(request, notice),
        "" if delivered is None else delivered.date().isoformat(),
        _DELIVERY.get(via, via),
        working_days(entry, calendar),
        unit_name,
        _STATES.get(request.state.value, request.state.value),
    ]


async def calendars(
    session: AsyncSession, entries: Sequence[Entry]
) -> Callable[[uuid.UUID], WorkCalendar | None]:
    """The working-day calendar of each root among `entries` (loaded once per root)."""
    loaded: dict[uuid.UUID, WorkCalendar] = {}
    for entry in entries:
        root = entry.request.root_id
        if root not in loaded:
            loaded[root] = await load_calendar(session, root, time_zone=entry.request.time_zone)
    return loaded.get
