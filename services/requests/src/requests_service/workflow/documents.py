"""The written notice and the refusal decree as data (`NoticeView`) and as PDF.

Both are built only from what was stored when they were issued, so a document reads
the same every time it is fetched. The addressee is named; the NIK, address and
contact details are not printed (DOMAIN.md 17: the letter reaches the requester
through links anyone holding the tracking secret may open).
"""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from requests_service.core.models import CopyFormat, InformationRequest, NoticeOutcome
from requests_service.pdf import Document, Row, Section
from requests_service.texts import rupiah, tanggal
from requests_service.workflow.models import Holder, RefusalDecree, RequestNotice
from requests_service.workflow.schemas import DecreeView, FeeLine, NoticeView
from requests_service.workflow.texts import (
    DELIVERY_TEXT,
    FORM_TEXT,
    OUTCOME_TEXT,
    ground_citation,
    objection_statement,
)

FOOTER = "Dokumen ini diterbitkan melalui Terbuka, layanan informasi publik (UU 14/2008)."


def notice_pdf_url(request_id: uuid.UUID) -> str:
    return f"/v1/requests/{request_id}/notice.pdf"


def decree_pdf_url(request_id: uuid.UUID) -> str:
    return f"/v1/requests/{request_id}/decree.pdf"


def decree_view(decree: RefusalDecree) -> DecreeView:
    return DecreeView(
        decree_number=decree.decree_number,
        decree_date=decree.decree_date,
        ground=decree.ground,
        ground_number=decree.ground_number,
        ground_text=decree.ground_text,
        other_law=decree.other_law,
        consequence_test_id=decree.consequence_test_id,
        dik_number=decree.dik_number,
        dik_decree_number=decree.dik_decree_number,
        consequences=decree.consequences,
        objection_due=decree.objection_due,
        objection_statement=objection_statement(decree.objection_due),
        pdf_url=decree_pdf_url(decree.request_id),
    )


def notice_view(
    request: InformationRequest,
    notice: RequestNotice,
    decree: RefusalDecree | None,
    requester_name: str | None,
) -> NoticeView:
    return NoticeView(
        request_id=request.id,
        registration_number=request.registration_number,
        request_date=request.received_at.astimezone(ZoneInfo(request.time_zone)).date(),
        requester_name=requester_name,
        information_requested=request.information_requested,
        outcome=notice.outcome,
        holder=notice.holder,
        holder_body=notice.holder_body,
        material=notice.material,
        available_forms=[CopyFormat(form) for form in notice.available_forms],
        delivery_method=notice.delivery_method,
        fee_lines=[FeeLine.model_validate(line) for line in notice.fee_lines],
        fee_total=notice.fee_total,
        payment_instructions=notice.payment_instructions,
        provide_within_working_days=notice.provide_within_working_days,
        promised_delivery_date=notice.promised_delivery_date,
        redaction_note=notice.redaction_note,
        explanation=notice.explanation,
        issuer=notice.issuer,
        place=notice.place,
        signatory=notice.signatory,
        issued_at=notice.issued_at.astimezone(ZoneInfo(request.time_zone)),
        issued_by_role=notice.issued_by_role,
        pdf_url=notice_pdf_url(request.id),
        decree=None if decree is None else decree_view(decree),
    )


def _request_section(view: NoticeView) -> Section:
    return Section(
        "Data permohonan",
        rows=[
            ("Nomor pendaftaran", view.registration_number),
            ("Tanggal permohonan", tanggal(view.request_date)),
            ("Nama pemohon", view.requester_name or "-"),
            ("Informasi yang diminta", view.information_requested),
        ],
    )


def _fee_rows(view: NoticeView) -> list[Row]:
    rows: list[Row] = [
        (
            f"Rincian biaya {index}",
            f"{line.description} ({line.code}): {rupiah(line.unit_price)} x {line.quantity} "
            f"{line.unit} = {rupiah(line.amount)}",
        )
        for index, line in enumerate(view.fee_lines, start=1)
    ]
    rows.append(("Jumlah biaya", rupiah(view.fee_total) if view.fee_total else "Tanpa biaya"))
    if view.fee_total:
        rows.append(("Cara pembayaran", view.payment_instructions or "-"))
    return rows


def _granted_section(view: NoticeView) -> Section:
    holder = "Kami"
    if view.holder is Holder.OTHER_BODY:
        holder = f"Badan publik lain, yaitu {view.holder_body}"
    forms = ", ".join(FORM_TEXT[form] for form in view.available_forms) or "-"
    within = "-"
    if view.promised_delivery_date is not None:
        days = view.provide_within_working_days
        count = f"{days} hari kerja, " if days is not None else ""
        within = f"{count}paling lambat {tanggal(view.promised_delivery_date)}"
    rows: list[Row] = [
        ("Penguasaan informasi", holder),
        ("Bentuk fisik yang tersedia", forms),
        ("Informasi yang diberikan", view.material or view.information_requested),
        ("Cara penyampaian", DELIVERY_TEXT[view.delivery_method] if view.delivery_method else "-"),
        *_fee_rows(view),
        ("Waktu penyediaan", within),
        ("Penjelasan penghitaman", view.redaction_note or "-"),
    ]
    return Section(f"A. {OUTCOME_TEXT[view.outcome]}", rows=rows)


def _refused_section(view: NoticeView) -> Section:
    paragraphs = [OUTCOME_TEXT[view.outcome] + "."]
    if view.outcome is NoticeOutcome.NOT_HELD_FORWARDED:
        paragraphs.append(f"Informasi tersebut dikuasai oleh {view.holder_body}.")
    if view.decree is not None:
        paragraphs.append(
            "Informasi yang diminta merupakan informasi yang dikecualikan berdasarkan "
            f"{ground_citation(view.decree.ground, view.decree.ground_number)}, sebagaimana "
            f"ditetapkan dalam Keputusan PPID Nomor {view.decree.decree_number} tentang "
            "Penolakan Permohonan Informasi Publik (terlampir)."
        )
    if view.explanation:
        paragraphs.append(view.explanation)
    if view.outcome is NoticeOutcome.NOT_DOCUMENTED and view.provide_within_working_days:
        paragraphs.append(
            f"Informasi akan disediakan dalam waktu {view.provide_within_working_days} hari kerja."
        )
    return Section("B. Informasi tidak dapat diberikan karena", paragraphs=paragraphs)


def notice_document(view: NoticeView) -> Document:
    """Pemberitahuan Tertulis (UU Pasal 22(7); DOMAIN.md 8.4)."""
    granted = view.outcome in (NoticeOutcome.GRANTED_FULL, NoticeOutcome.GRANTED_PARTIAL)
    body = _granted_section(view) if granted else _refused_section(view)
    return Document(
        issuer=view.issuer,
        title="Pemberitahuan Tertulis",
        subtitle=f"atas Permohonan Informasi Publik Nomor {view.registration_number}",
        sections=[_request_section(view), body],
        place_and_date=f"{view.place}, {tanggal(view.issued_at.date())}",
        signatory=view.signatory,
        footer=FOOTER,
        metadata={"registration_number": view.registration_number},
    )


def decree_document(view: NoticeView) -> Document:
    """Keputusan PPID tentang Penolakan Permohonan Informasi (DOMAIN.md 8.5)."""
    decree = view.decree
    assert decree is not None
    basis: list[Row] = [
        ("Dasar hukum", ground_citation(decree.ground, decree.ground_number)),
        ("Alasan pengecualian", f"Informasi yang apabila dibuka {decree.ground_text}"),
    ]
    if decree.other_law:
        basis.append(("Undang-Undang lain", decree.other_law))
    dik = decree.dik_number or str(decree.consequence_test_id)
    if decree.dik_decree_number:
        dik += f" (penetapan {decree.dik_decree_number})"
    basis += [("Uji konsekuensi (DIK)", dik), ("Konsekuensi bila dibuka", decree.consequences)]
    return Document(
        issuer=view.issuer,
        title="Keputusan PPID tentang Penolakan Permohonan Informasi Publik",
        subtitle=f"Nomor {decree.decree_number}",
        sections=[
            _request_section(view),
            Section("Memutuskan", paragraphs=["Menolak permohonan informasi publik tersebut."]),
            Section("Alasan penolakan", rows=basis),
            Section("Hak mengajukan keberatan", paragraphs=[decree.objection_statement]),
        ],
        place_and_date=f"{view.place}, {tanggal(decree.decree_date)}",
        signatory=view.signatory,
        footer=FOOTER,
        metadata={"decree_number": decree.decree_number},
    )
