"""The PDF layout renders every part of a document (fpdf2 compresses its content
streams: the test inflates them and reads the text operators)."""

from __future__ import annotations

from requests_service.pdf import Document, Section, render_pdf

from tests.requests.support import pdf_text


def test_a_document_renders_its_title_rows_and_signature() -> None:
    doc = Document(
        issuer="PPID Pemerintah Kota Contoh",
        title="Tanda Bukti Penerimaan Permohonan Informasi Publik",
        sections=[Section("Data permohonan", rows=[("Nomor pendaftaran", "KOTA/PI/2026/00001")])],
        place_and_date="Kota Contoh, 2 Desember 2026",
        signatory="Petugas Layanan Informasi",
        footer="Dokumen ini dibuat oleh Terbuka.",
    )
    pdf = render_pdf(doc)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "KOTA/PI/2026/00001" in text
    assert "Petugas Layanan Informasi" in text


def test_characters_outside_latin1_do_not_break_a_legal_document() -> None:
    pdf = render_pdf(Document(issuer="PPID", title="Pemberitahuan Tertulis — ✓ 汉字"))
    assert pdf.startswith(b"%PDF-")
