"""Content types come from the bytes, against an allowlist."""

from __future__ import annotations

import io
import zipfile

import pytest
from ppid_kit.storage import ALLOWED_TYPES, SNIFF_BYTES, sniff_content_type

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML = "application/vnd.openxmlformats-officedocument"
ODF = "application/vnd.oasis.opendocument"


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in entries.items():
            # ODF requires its `mimetype` entry first and stored, as real office suites write it.
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, body, compress_type=kind)
    return out.getvalue()


def ooxml(part: str) -> bytes:
    return zipped(
        {
            "[Content_Types].xml": b"<?xml version='1.0'?><Types/>",
            "_rels/.rels": b"<Relationships/>",
            f"{part}/document.xml": b"<document/>",
        }
    )


def odf(kind: str) -> bytes:
    return zipped({"mimetype": f"{ODF}.{kind}".encode(), "content.xml": b"<office/>"})


def ole2(sector_1: bytes) -> bytes:
    return OLE2 + bytes(504) + sector_1 + bytes(4096)


ACCEPTED = {
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
    "docx": (ooxml("word"), f"{OOXML}.wordprocessingml.document"),
    "xlsx": (ooxml("xl"), f"{OOXML}.spreadsheetml.sheet"),
    "pptx": (ooxml("ppt"), f"{OOXML}.presentationml.presentation"),
    "odt": (odf("text"), f"{ODF}.text"),
    "ods": (odf("spreadsheet"), f"{ODF}.spreadsheet"),
    "odp": (odf("presentation"), f"{ODF}.presentation"),
    "doc": (ole2(b"\xec\xa5\xc1\x00"), "application/msword"),
    "ole2 office, not told apart": (ole2(b"\x00\x00\x00\x00"), "application/x-ole-storage"),
    "zip": (zipped({"data/anggaran.csv": b"a,b\n1,2\n"}), "application/zip"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(16), "image/png"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(16), "image/jpeg"),
    "gif": (b"GIF89a\x01\x00\x01\x00" + bytes(16), "image/gif"),
    "webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(16), "image/webp"),
    "csv": (b"tahun,anggaran,satuan\n2026,1000000,Rp\n", "text/plain"),
    "utf-8 text": ("Laporan keuangan \u2013 Dinas Kominfo ✓\n".encode(), "text/plain"),
    "text with bom": ("\ufeffno,nama\n1,Budi\n".encode(), "text/plain"),
}

REFUSED = {
    "elf": b"\x7fELF\x02\x01\x01\x00" + bytes(56),
    "windows exe": b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56),
    "html": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "html, lower case and spaces": b"  \n<html><body>hi</body></html>",
    "svg": b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>",
    "xml": b"<?xml version='1.0'?><a/>",
    "binary with nul": b"abc\x00def",
    "latin-1 text": "Kafé Rp 1.000,-\n".encode("latin-1"),
    "gzip": b"\x1f\x8b\x08\x00" + bytes(16),
    "empty": b"",
}


@pytest.mark.parametrize(("data", "expected"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_allowed_types_are_recognised(data: bytes, expected: str) -> None:
    assert expected in ALLOWED_TYPES
    assert sniff_content_type(data[:SNIFF_BYTES]) == expected


@pytest.mark.parametrize("data", REFUSED.values(), ids=REFUSED.keys())
def test_other_content_is_refused(data: bytes) -> None:
    assert sniff_content_type(data) is None


def test_text_cut_inside_a_character_is_still_text() -> None:
    text = ("é" * SNIFF_BYTES).encode()
    assert sniff_content_type(text[: SNIFF_BYTES - 1]) == "text/plain"


def test_only_the_head_is_read() -> None:
    # An executable hidden past the sniffed head does not change what the head is.
    assert sniff_content_type(b"%PDF-1.4\n" + bytes(SNIFF_BYTES) + b"\x7fELF") == "application/pdf"
