"""Small valid files for the demo documents, made in code (no binary files in the repo)."""

from __future__ import annotations


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF 1.4 with Helvetica text and a correct cross-reference table."""
    rows = [title, "", *lines]
    stream_lines = ["BT", "/F1 12 Tf", "72 770 Td", "14 TL"]
    stream_lines += [f"({_pdf_text(row)}) '" for row in rows]
    stream_lines.append("ET")
    stream = "\n".join(stream_lines).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def csv_file(header: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 CSV with a BOM (Excel reads Indonesian text right only with it)."""

    def cell(value: str) -> str:
        return (
            f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\n') else value
        )

    lines = [",".join(cell(v) for v in row) for row in (header, *rows)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
