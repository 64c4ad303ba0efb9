"""Small official documents as PDF (fpdf2): receipts, written notices, refusal decrees.

One layout for all of them: the body's name as a header, a title, sections of
label/value rows and paragraphs, and a signature block. The core fonts cover
Latin-1 only; other characters are replaced rather than failing a legal document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fastapi import Response
from fpdf import FPDF
from ppid_kit.storage import content_disposition

Row = tuple[str, str]


@dataclass(frozen=True)
class Section:
    heading: str | None = None
    rows: Sequence[Row] = ()
    paragraphs: Sequence[str] = ()


@dataclass(frozen=True)
class Document:
    """What a document says; `render_pdf` lays it out."""

    issuer: str  # the badan publik / PPID, e.g. "PPID Pemerintah Kota Contoh"
    title: str
    subtitle: str | None = None
    sections: Sequence[Section] = ()
    place_and_date: str | None = None
    signatory: str | None = None
    footer: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def render_pdf(doc: Document) -> bytes:
    """The document as PDF bytes (A4, Helvetica)."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(doc.title))
    pdf.set_creator("Terbuka")
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("helvetica", "B", 12)
    pdf.multi_cell(width, 6, _latin1(doc.issuer.upper()), align="C", new_x="LMARGIN")
    pdf.ln(2)
    pdf.set_font("helvetica", "B", 13)
    pdf.multi_cell(width, 7, _latin1(doc.title), align="C", new_x="LMARGIN")
    if doc.subtitle:
        pdf.set_font("helvetica", "", 10)
        pdf.multi_cell(width, 5, _latin1(doc.subtitle), align="C", new_x="LMARGIN")
    pdf.ln(4)
    for section in doc.sections:
        if section.heading:
            pdf.set_font("helvetica", "B", 11)
            pdf.multi_cell(width, 6, _latin1(section.heading), new_x="LMARGIN")
        pdf.set_font("helvetica", "", 10)
        for label, value in section.rows:
            pdf.set_font("helvetica", "", 10)
            pdf.cell(width * 0.38, 5.5, _latin1(label))
            pdf.multi_cell(width * 0.62, 5.5, _latin1(": " + value), new_x="LMARGIN")
        for paragraph in section.paragraphs:
            pdf.multi_cell(width, 5.5, _latin1(paragraph), new_x="LMARGIN")
            pdf.ln(1)
        pdf.ln(3)
    if doc.place_and_date or doc.signatory:
        pdf.ln(4)
        pdf.set_x(pdf.l_margin + width * 0.55)
        block = "\n".join(part for part in (doc.place_and_date, doc.signatory) if part)
        pdf.multi_cell(width * 0.45, 5.5, _latin1(block), new_x="LMARGIN")
    if doc.footer:
        pdf.ln(6)
        pdf.set_font("helvetica", "I", 8)
        pdf.multi_cell(width, 4, _latin1(doc.footer), new_x="LMARGIN")
    return bytes(pdf.output())


def pdf_response(content: bytes, filename: str) -> Response:
    """A rendered document shown inline; `private, no-store`: it may carry a tracking
    secret or names (receipts, objection forms and responses)."""
    headers = {
        "Content-Disposition": content_disposition(filename, inline=True),
        "Cache-Control": "private, no-store",
    }
    return Response(content, media_type="application/pdf", headers=headers)
