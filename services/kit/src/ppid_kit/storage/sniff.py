"""Content types by magic bytes, checked against the allowlist of uploads."""

from __future__ import annotations

from typing import Final

import filetype

# Read at least this much of an upload before sniffing: OOXML/ODF are told apart by the
# names of the ZIP's first entries, which `filetype` looks for in the first 8 KiB.
SNIFF_BYTES: Final = 8192

OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_TYPE: Final = "application/x-ole-storage"

ALLOWED_TYPES: Final = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        OLE2_TYPE,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/zip",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
    }
)


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    # The sniffed head may cut a multi-byte character in two: drop up to 3 trailing bytes.
    for cut in range(4):
        try:
            text = head[: len(head) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        # HTML and XML are text but not allowed: a browser could run them.
        start = text.lstrip("\ufeff \t\r\n").lower()
        return not start.startswith(("<!doctype", "<html", "<?xml", "<svg", "<script"))
    return False


def sniff_content_type(first_bytes: bytes) -> str | None:
    """The allowed content type the bytes begin with, or None (refuse the upload)."""
    head = bytes(first_bytes[:SNIFF_BYTES])
    # Office documents first: `filetype.guess` would call an OOXML file a plain ZIP.
    for matcher in (filetype.document_match, filetype.image_match, filetype.archive_match):
        kind = matcher(head)
        if kind is not None:
            mime = str(kind.mime)
            return mime if mime in ALLOWED_TYPES else None
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(OLE2_MAGIC):
        # Legacy office that `filetype` cannot name more precisely: a generic OLE2 container.
        return OLE2_TYPE
    if _looks_like_text(head):
        return "text/plain"
    return None
