"""Documents of DIP and DIK entries: the upload, the removal, and who may read them.

The bytes go to the object store before any row exists (ARCHITECTURE.md Storage):
the upload streams from the request to the store under a generated, dated key, then
one short transaction checks the entry again and inserts the row. When that
transaction fails the object is deleted; whatever still escapes (a crash in
between) is left to the sweeper, which removes objects that no row names.
No database connection is held while bytes flow.
"""

from __future__ import annotations

import contextlib
import logging
import unicodedata
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Literal

import anyio
import sqlalchemy as sa
from fastapi import Request
from ppid_kit.audit import write_audit
from ppid_kit.db import add_and_refresh
from ppid_kit.problems import (
    BAD_REQUEST,
    CONFLICT,
    NOT_FOUND,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    VALIDATION,
    FieldError,
    ProblemError,
    Text,
)
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import ClientDisconnect

from registry_service.access import Actor, is_official_of_root, require_editor
from registry_service.dik.models import DikEntry, DikStatus
from registry_service.documents.models import Document, DocumentKind
from registry_service.documents.multipart import MultipartError, MultipartReader, boundary_of
from registry_service.models import DipEntry, DipStatus
from registry_service.public import record_public_change
from registry_service.storage import (
    SNIFF_BYTES,
    ObjectStore,
    ObjectTooLargeError,
    StoredObject,
    generate_dated_key,
    sniff_content_type,
)

_log = logging.getLogger(__name__)

OBJECT_PREFIX = "documents"
FILE_FIELD = "file"
FORM_FIELDS = frozenset({"title", "kind", "redacts_id"})
FIELD_LIMIT = 4096  # bytes of one non-file form field
MAX_PARTS = 16
# What multipart framing and the small fields may add to the file's size.
FORM_OVERHEAD = 64 * 1024
FILENAME_LIMIT = 255
TITLE_LIMIT = 255

OwnerKind = Literal["dip", "dik"]

# States whose documents are frozen (DOMAIN.md 5.2): nothing is added to them.
_CLOSED_DIP = frozenset({DipStatus.WITHDRAWN, DipStatus.ARCHIVED, DipStatus.SUPERSEDED})
_CLOSED_DIK = frozenset({DikStatus.WITHDRAWN})

NO_ENTRY = Text("Entri DIP tidak ditemukan.", "DIP entry not found.")
NO_DIK_ENTRY = Text("Entri DIK tidak ditemukan.", "DIK entry not found.")
NO_DOCUMENT = Text("Dokumen tidak ditemukan.", "Document not found.")
ENTRY_CLOSED = Text(
    "Dokumen tidak dapat ditambahkan pada entri yang ditarik, diarsipkan, atau digantikan.",
    "Documents cannot be added to a withdrawn, archived or superseded entry.",
)
HAS_REDACTIONS = Text(
    "Dokumen ini memiliki versi tersamar (redaksi); hapus versi tersebut terlebih dahulu.",
    "This document has redacted versions; remove them first.",
)
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
OBJECT_MISSING = Text(
    "Berkas dokumen ini tidak tersedia.",
    "This document's file is not available.",
)


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


def _invalid(field: str, text: Text) -> ProblemError:
    return ProblemError(VALIDATION, errors=[FieldError(field, text)])


# --- Owners: a DIP entry or a DIK entry ------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """The entry a document belongs to."""

    kind: OwnerKind
    row: DipEntry | DikEntry

    @property
    def id(self) -> uuid.UUID:
        return self.row.id

    @property
    def unit_id(self) -> uuid.UUID:
        return self.row.unit_id

    @property
    def root_id(self) -> uuid.UUID:
        return self.row.root_id

    @property
    def closed(self) -> bool:
        if isinstance(self.row, DipEntry):
            return self.row.status in _CLOSED_DIP
        return self.row.status in _CLOSED_DIK

    @property
    def public(self) -> bool:
        """Whether the public sees the entry (and so its documents): published DIP only."""
        return isinstance(self.row, DipEntry) and self.row.status == DipStatus.PUBLISHED

    def owns(self, document: Document | None) -> bool:
        if document is None:
            return False
        owner_id = document.entry_id if self.kind == "dip" else document.dik_id
        return owner_id == self.id

    def new_document(self, **fields: object) -> Document:
        link = {"entry_id": self.id} if self.kind == "dip" else {"dik_id": self.id}
        return Document.model_validate({**fields, **link})


async def load_owner(
    session: AsyncSession, kind: OwnerKind, owner_id: uuid.UUID, *, lock: bool = False
) -> Owner:
    """The entry or 404; `lock` takes its row lock (FOR UPDATE) until the transaction ends."""
    model: type[DipEntry] | type[DikEntry] = DipEntry if kind == "dip" else DikEntry
    stmt = sa.select(model).where(model.id == owner_id)  # type: ignore[arg-type]
    if lock:
        stmt = stmt.with_for_update()
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise ProblemError(NOT_FOUND, NO_ENTRY if kind == "dip" else NO_DIK_ENTRY)
    return Owner(kind, row)


async def load_document(session: AsyncSession, owner: Owner, document_id: uuid.UUID) -> Document:
    document = await session.get(Document, document_id)
    if document is None or not owner.owns(document):
        raise ProblemError(NOT_FOUND, NO_DOCUMENT)
    return document


def may_read(owner: Owner, claims: Claims | None, tree: UnitTree) -> bool:
    """Anyone reads a published DIP entry's documents; officials of the root read the rest."""
    return owner.public or is_official_of_root(claims, owner.root_id, tree)


@contextlib.asynccontextmanager
async def transaction(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """One short transaction, committed on exit (the upload controls its own commit)."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        yield session


async def discard(store: ObjectStore, key: str) -> None:
    """Delete an object nobody names any more; a failure is logged (the sweeper retries)."""
    with anyio.CancelScope(shield=True):
        try:
            await store.delete(key)
        except Exception:
            _log.exception("could not delete object %s; the sweeper will", key)


# --- The upload form -------------------------------------------------------------------


@dataclass(frozen=True)
class UploadForm:
    title: str | None
    kind: DocumentKind
    redacts_id: uuid.UUID | None


def parse_form(fields: Mapping[str, str], *, complete: bool = True) -> UploadForm:
    """Validate the text fields; `complete=False` checks only the ones present so far."""
    errors: list[FieldError] = []
    title = (fields.get("title") or "").strip() or None
    if title is not None and len(title) > TITLE_LIMIT:
        errors.append(
            FieldError(
                "title",
                Text(
                    f"Judul paling banyak {TITLE_LIMIT} karakter.",
                    f"The title has at most {TITLE_LIMIT} characters.",
                ),
            )
        )
    kind = DocumentKind.ORIGINAL
    raw_kind = (fields.get("kind") or "").strip()
    if raw_kind:
        try:
            kind = DocumentKind(raw_kind)
        except ValueError:
            errors.append(
                FieldError(
                    "kind",
                    Text(
                        "Jenis dokumen harus `original` atau `redacted`.",
                        "The kind must be `original` or `redacted`.",
                    ),
                )
            )
    redacts_id: uuid.UUID | None = None
    raw_redacts = (fields.get("redacts_id") or "").strip()
    if raw_redacts:
        try:
            redacts_id = uuid.UUID(raw_redacts)
        except ValueError:
            errors.append(
                FieldError(
                    "redacts_id",
                    Text("Harus berupa UUID.", "Must be a UUID."),
                )
            )
    if complete and not errors:
        if kind == DocumentKind.REDACTED and redacts_id is None:
            errors.append(
                FieldError(
                    "redacts_id",
                    Text(
                        "Versi tersamar harus menunjuk dokumen aslinya (`redacts_id`).",
                        "A redacted version must name its original (`redacts_id`).",
                    ),
                )
            )
        if kind == DocumentKind.ORIGINAL and redacts_id is not None:
            errors.append(
                FieldError(
                    "redacts_id",
                    Text(
                        "Hanya versi tersamar (`kind=redacted`) yang menunjuk dokumen asli.",
                        "Only a redacted version (`kind=redacted`) names an original.",
                    ),
                )
            )
    if errors:
        raise ProblemError(VALIDATION, errors=errors)
    return UploadForm(title=title, kind=kind, redacts_id=redacts_id)


def clean_filename(raw: str) -> str:
    """The client's filename as metadata: no path, no control characters, at most 255."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if not name or name in {".", ".."}:
        return "dokumen"
    if len(name) > FILENAME_LIMIT:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 16:
            name = stem[: FILENAME_LIMIT - len(suffix) - 1] + "." + suffix
        else:
            name = name[:FILENAME_LIMIT]
    return name


@dataclass(frozen=True)
class Received:
    """An upload read to its end: the form fields and the stored object."""

    form: UploadForm
    stored: StoredObject
    filename: str


async def _store_file(reader: MultipartReader, store: ObjectStore, max_bytes: int) -> StoredObject:
    """Sniff the file's first bytes, refuse what the allowlist lacks, stream the rest."""
    body = reader.body()
    head = bytearray()
    async for chunk in body:  # the generator stays open after `break`
        head += chunk
        if len(head) >= SNIFF_BYTES:
            break
    if len(head) > max_bytes:
        raise too_large(max_bytes)
    content_type = sniff_content_type(bytes(head))
    if content_type is None:
        raise ProblemError(UNSUPPORTED_MEDIA_TYPE, TYPE_NOT_ALLOWED)

    async def chunks() -> AsyncIterator[bytes]:
        yield bytes(head)
        async for more in body:
            yield more

    key = generate_dated_key(OBJECT_PREFIX)
    try:
        return await store.put_stream(key, chunks(), content_type=content_type, max_bytes=max_bytes)
    except ObjectTooLargeError:
        raise too_large(max_bytes) from None


async def receive_upload(request: Request, store: ObjectStore, *, max_bytes: int) -> Received:
    """Read the multipart body: the small fields into memory, the file into the store.

    Raises a problem (and leaves nothing stored) for a body that is not multipart (415),
    too large (413), of a type the allowlist lacks (415), malformed (400) or invalid (422).
    """
    boundary = boundary_of(request.headers.get("content-type"))
    if boundary is None:
        raise ProblemError(UNSUPPORTED_MEDIA_TYPE, NOT_MULTIPART)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + FORM_OVERHEAD:
        raise too_large(max_bytes)
    reader = MultipartReader(request.stream(), boundary)
    fields: dict[str, str] = {}
    stored: StoredObject | None = None
    filename: str | None = None
    try:
        parts = 0
        while (part := await reader.next_part()) is not None:
            parts += 1
            if parts > MAX_PARTS:
                raise MultipartError("too many parts")
            if part.name == FILE_FIELD:
                if stored is not None:
                    raise _invalid(
                        FILE_FIELD, Text("Unggah satu berkas saja.", "Upload one file only.")
                    )
                parse_form(fields, complete=False)  # fail before the bytes flow when we can
                stored = await _store_file(reader, store, max_bytes)
                filename = clean_filename(part.filename or "")
                continue
            value = await reader.read_value(FIELD_LIMIT)
            if part.name in FORM_FIELDS:
                if part.name in fields:
                    raise _invalid(part.name, Text("Ruas ini terulang.", "Field repeated."))
                try:
                    fields[part.name] = value.decode("utf-8")
                except UnicodeDecodeError:
                    raise _invalid(
                        part.name, Text("Harus teks UTF-8.", "Must be UTF-8 text.")
                    ) from None
        if stored is None or filename is None:
            raise _invalid(FILE_FIELD, Text("Berkas wajib diunggah.", "A file is required."))
        return Received(form=parse_form(fields), stored=stored, filename=filename)
    except BaseException as exc:
        if stored is not None:
            await discard(store, stored.key)
        if isinstance(exc, MultipartError | ClientDisconnect):
            raise ProblemError(BAD_REQUEST, MALFORMED) from exc
        raise


# --- Writing rows ------------------------------------------------------------------------


async def check_writable(
    session: AsyncSession, kind: OwnerKind, owner_id: uuid.UUID, claims: Claims, tree: UnitTree
) -> tuple[Owner, Actor]:
    """The entry (404), its editor (403), and that it still takes documents (409)."""
    owner = await load_owner(session, kind, owner_id, lock=True)
    actor = require_editor(claims, owner.unit_id, tree)
    if owner.closed:
        raise ProblemError(CONFLICT, ENTRY_CLOSED)
    return owner, actor


def _audit_details(owner: Owner, document: Document, role: str) -> dict[str, object]:
    # The filename and title may name people: they stay out of the audit log.
    return {
        "owner": owner.kind,
        "owner_id": str(owner.id),
        "kind": document.kind.value,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "role": role,
    }


async def record_upload(
    engine: AsyncEngine,
    kind: OwnerKind,
    owner_id: uuid.UUID,
    claims: Claims,
    tree: UnitTree,
    received: Received,
) -> Document:
    """The row of a stored upload, in one transaction that checks the entry again."""
    async with transaction(engine) as session:
        owner, actor = await check_writable(session, kind, owner_id, claims, tree)
        form = received.form
        if form.redacts_id is not None:
            original = await session.get(Document, form.redacts_id)
            if not owner.owns(original) or (
                original is not None and original.kind != DocumentKind.ORIGINAL
            ):
                raise _invalid(
                    "redacts_id",
                    Text(
                        "Dokumen asli tidak ditemukan pada entri ini.",
                        "No original document of this entry has that id.",
                    ),
                )
        stored = received.stored
        document = owner.new_document(
            kind=form.kind,
            redacts_id=form.redacts_id,
            title=form.title,
            filename=received.filename,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            object_key=stored.key,
            uploaded_by=actor.user_id,
        )
        document = await add_and_refresh(session, document)
        await write_audit(
            session,
            action="document.upload",
            object_type="document",
            object_id=document.id,
            actor_id=actor.user_id,
            actor_type="user",
            unit_id=owner.unit_id,
            details=_audit_details(owner, document, actor.role),
        )
        if owner.public:
            assert isinstance(owner.row, DipEntry)
            await record_public_change(session, owner.row)  # last: it takes the feed's lock
    return document


async def remove_document(
    engine: AsyncEngine,
    kind: OwnerKind,
    owner_id: uuid.UUID,
    document_id: uuid.UUID,
    claims: Claims,
    tree: UnitTree,
) -> str:
    """Delete the row (and tell the feed); returns the object key to delete after commit."""
    async with transaction(engine) as session:
        owner = await load_owner(session, kind, owner_id, lock=True)
        actor = require_editor(claims, owner.unit_id, tree)
        document = await load_document(session, owner, document_id)
        redactions = sa.select(sa.func.count()).where(col(Document.redacts_id) == document.id)
        if (await session.execute(redactions)).scalar_one():
            raise ProblemError(CONFLICT, HAS_REDACTIONS)
        await session.delete(document)
        await session.flush()
        await write_audit(
            session,
            action="document.delete",
            object_type="document",
            object_id=document.id,
            actor_id=actor.user_id,
            actor_type="user",
            unit_id=owner.unit_id,
            details=_audit_details(owner, document, actor.role),
        )
        if owner.public:
            assert isinstance(owner.row, DipEntry)
            await record_public_change(session, owner.row)
    return document.object_key
