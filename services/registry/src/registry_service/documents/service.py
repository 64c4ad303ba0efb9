"""Documents of DIP and DIK entries: the upload, the removal, and who may read them.

The bytes go to the object store before any row exists (ARCHITECTURE.md Storage):
the upload streams from the request to the store under a generated, dated key, then
one short transaction checks the entry again and inserts the row. When that
transaction fails the object is deleted; whatever still escapes (a crash in
between) is left to the sweeper, which removes objects that no row names.
No database connection is held while bytes flow (`ppid_kit.storage.upload`).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from fastapi import Request
from ppid_kit.audit import write_audit
from ppid_kit.db import add_and_refresh
from ppid_kit.problems import (
    CONFLICT,
    NOT_FOUND,
    VALIDATION,
    FieldError,
    ProblemError,
    Text,
)
from ppid_kit.storage import ObjectStore
from ppid_kit.storage.upload import GENERAL, Allowlist, Upload, delete_quietly
from ppid_kit.storage.upload import receive_upload as receive_multipart
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from registry_service.access import Actor, is_official_of_root, require_editor
from registry_service.dik.models import DikEntry, DikStatus
from registry_service.documents.models import Document, DocumentKind
from registry_service.models import DipEntry, DipStatus
from registry_service.public import record_public_change

OBJECT_PREFIX = "documents"
FORM_FIELDS = frozenset({"title", "kind", "redacts_id"})
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
OBJECT_MISSING = Text(
    "Berkas dokumen ini tidak tersedia.",
    "This document's file is not available.",
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


# Delete an object nobody names any more; a failure is logged (the sweeper retries).
discard = delete_quietly


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


# An upload read to its end: the form fields and the stored object.
Received = Upload[UploadForm]


def _accepted(fields: Mapping[str, str]) -> Allowlist:
    parse_form(fields, complete=False)  # refuse bad fields before the bytes flow
    return GENERAL


async def receive_upload(request: Request, store: ObjectStore, *, max_bytes: int) -> Received:
    """Read the multipart body: the small fields into memory, the file into the store.

    Raises a problem (and leaves nothing stored) for a body that is not multipart (415),
    too large (413), of a type the allowlist lacks (415), malformed (400) or invalid (422).
    """
    return await receive_multipart(
        request,
        store,
        prefix=OBJECT_PREFIX,
        max_bytes=max_bytes,
        fields=FORM_FIELDS,
        allowed=_accepted,
        complete=lambda fields, _stored: parse_form(fields),
    )


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
