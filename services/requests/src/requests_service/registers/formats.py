"""The register as CSV (UTF-8 with a BOM for Excel, CRLF, RFC 4180) or XLSX.

Text cells a spreadsheet would run as a formula (`= + - @`, tab, CR) get a leading
apostrophe, in both formats (the registry's export rule).
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

CSV_MEDIA_TYPE = "text/csv; charset=utf-8; header=present"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guarded(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([guarded(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(title: str, headers: list[str], rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([guarded(cell) for cell in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
