"""Uploads: a `multipart/form-data` body streamed into an object store (API.md Writing).

The text fields are read into memory (a few KiB each); the one file part is sniffed
from its first bytes before anything is written (415 for a type the caller does not
accept: nothing is stored), then streamed to the store under a generated, dated key
with a size limit (413) and its SHA-256 (`ppid_kit.multipart` holds at most one
chunk in memory). Whatever fails once the object is written deletes it again. The
client's filename is cleaned and kept as metadata only; it never becomes a key.
No database connection is involved: the caller records the row afterwards.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import AsyncIterator, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import anyio
from starlette.requests import ClientDisconnect, Request

from ppid_kit.multipart import MultipartError, MultipartReader, boundary_of
from ppid_kit.problems import (
    BAD_REQUEST,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    VALIDATION,
    FieldError,
    ProblemError,
    Text,
)
from ppid_kit.storage.base import (
    ObjectStore,
    ObjectTooLargeError,
    StoredObject,
    generate_dated_key,
)
from ppid_kit.storage.sniff import ALLOWED_TYPES, SNIFF_BYTES, sniff_content_type

_log = logging.getLogger("ppid_kit.storage")

FILE_FIELD = "file"
FIELD_LIMIT = 4096  # bytes of one text field
MAX_PARTS = 16
# What multipart framing and the small fields may add to the file's size.
FORM_OVERHEAD = 64 * 1024
FILENAME_LIMIT = 255

NOT_MULTIPART = Text(
    "Unggahan harus dikirim sebagai multipart/form-data.",
    "Uploads must be sent as multipart/form-data.",
)
MALFORMED = Text(
    "Badan permintaan multipart/form-data tidak sah.",
    "The multipart/form-data body is malformed.",
)
TYPE_NOT_ALLOWED = Text(
    "Jenis berkas tidak diizinkan. Yang diterima: PDF, dokumen perkantoran (Word, Excel, "
    "PowerPoint, OpenDocument), CSV atau teks, gambar (PNG, JPEG, GIF, WebP), dan ZIP.",
    "File type not allowed. Accepted: PDF, office documents (Word, Excel, PowerPoint, "
    "OpenDocument), CSV or plain text, images (PNG, JPEG, GIF, WebP) and ZIP.",
)

ONE_FILE = Text("Unggah satu berkas saja.", "Upload one file only.")

FormT = TypeVar("FormT")


@dataclass(frozen=True)
class Allowlist:
    """The content types an upload may have, and what a refusal (415) says."""

    types: frozenset[str]
    refused: Text

    def check(self, content_type: str | None) -> str:
        """`content_type` when listed, else the 415 problem."""
        if content_type is None or content_type not in self.types:
            raise ProblemError(UNSUPPORTED_MEDIA_TYPE, self.refused)
        return content_type


GENERAL = Allowlist(ALLOWED_TYPES, TYPE_NOT_ALLOWED)


@dataclass(frozen=True)
class Upload(Generic[FormT]):
    """An upload read to its end: the caller's form, the stored object, the filename."""

    form: FormT
    stored: StoredObject
    filename: str


def too_large(max_bytes: int) -> ProblemError:
    mib = max_bytes / (1024 * 1024)
    return ProblemError(
        PAYLOAD_TOO_LARGE,
        Text(
            f"Berkas melebihi batas unggahan {mib:g} MiB.",
            f"The file exceeds the upload limit of {mib:g} MiB.",
        ),
        extra={"max_bytes": max_bytes},
    )


def invalid(field: str, text: Text) -> ProblemError:
    return ProblemError(VALIDATION, errors=[FieldError(field, text)])


def clean_filename(raw: str, fallback: str = "berkas") -> str:
    """The client's filename as metadata: no path, no control characters, at most 255."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if not name or name in {".", ".."}:
        return fallback
    if len(name) > FILENAME_LIMIT:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 16:
            name = stem[: FILENAME_LIMIT - len(suffix) - 1] + "." + suffix
        else:
            name = name[:FILENAME_LIMIT]
    return name


async def delete_quietly(store: ObjectStore, key: str) -> None:
    """Delete an object nobody names any more; a failure is logged (a sweeper retries)."""
    with anyio.CancelScope(shield=True):
        try:
            await store.delete(key)
        except Exception:
            _log.exception("could not delete object %s; the sweeper will", key)


async def store_sniffed(
    store: ObjectStore,
    chunks: AsyncIterator[bytes],
    *,
    prefix: str,
    max_bytes: int,
    allowed: Allowlist = GENERAL,
) -> StoredObject:
    """Sniff the first bytes, refuse what `allowed` lacks (415), stream the rest (413)."""
    head = bytearray()
    async for chunk in chunks:  # an async generator stays open after `break`
        head += chunk
        if len(head) >= SNIFF_BYTES:
            break
    if len(head) > max_bytes:
        raise too_large(max_bytes)
    content_type = allowed.check(sniff_content_type(bytes(head)))

    async def whole() -> AsyncIterator[bytes]:
        yield bytes(head)
        async for more in chunks:
            yield more

    key = generate_dated_key(prefix)
    try:
        return await store.put_stream(key, whole(), content_type=content_type, max_bytes=max_bytes)
    except ObjectTooLargeError:
        raise too_large(max_bytes) from None


async def _text_field(
    reader: MultipartReader, name: str, wanted: Collection[str], fields: dict[str, str]
) -> None:
    value = await reader.read_value(FIELD_LIMIT)  # other fields are read too, and dropped
    if name not in wanted:
        return
    if name in fields:
        raise invalid(name, Text("Ruas ini terulang.", "Field repeated."))
    try:
        fields[name] = value.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid(name, Text("Harus teks UTF-8.", "Must be UTF-8 text.")) from None


async def receive_upload(
    request: Request,
    store: ObjectStore,
    *,
    prefix: str,
    max_bytes: int,
    fields: Collection[str],
    allowed: Callable[[Mapping[str, str]], Allowlist],
    complete: Callable[[Mapping[str, str], StoredObject], FormT],
) -> Upload[FormT]:
    """Read the body: the text `fields` into memory (others are skipped), `file` into the store.

    `allowed(fields)` sees the fields sent before the file and names the accepted types
    (it may raise a problem to refuse the form before a byte is stored). `complete(fields,
    stored)` makes the caller's form once every part is read (it may raise, e.g. when a
    field after the file turns out to forbid the sniffed type); the object is then deleted.
    Problems: not multipart (415), too large (413), type refused (415), malformed (400),
    no file or two, a repeated or non-UTF-8 field (422).
    """
    boundary = boundary_of(request.headers.get("content-type"))
    if boundary is None:
        raise ProblemError(UNSUPPORTED_MEDIA_TYPE, NOT_MULTIPART)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + FORM_OVERHEAD:
        raise too_large(max_bytes)
    reader = MultipartReader(request.stream(), boundary)
    values: dict[str, str] = {}
    stored: StoredObject | None = None
    filename = ""
    try:
        parts = 0
        while (part := await reader.next_part()) is not None:
            parts += 1
            if parts > MAX_PARTS:
                raise MultipartError("too many parts")
            if part.name == FILE_FIELD:
                if stored is not None:
                    raise invalid(FILE_FIELD, ONE_FILE)
                accepted = allowed(values)  # fail before the bytes flow when we can
                stored = await store_sniffed(
                    store, reader.body(), prefix=prefix, max_bytes=max_bytes, allowed=accepted
                )
                filename = clean_filename(part.filename or "")
            else:
                await _text_field(reader, part.name, fields, values)
        if stored is None:
            raise invalid(FILE_FIELD, Text("Berkas wajib diunggah.", "A file is required."))
        return Upload(form=complete(values, stored), stored=stored, filename=filename)
    except BaseException as exc:
        if stored is not None:
            await delete_quietly(store, stored.key)
        if isinstance(exc, MultipartError | ClientDisconnect):
            raise ProblemError(BAD_REQUEST, MALFORMED) from exc
        raise
