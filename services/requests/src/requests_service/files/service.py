"""Private files of requests: storing, reading (audited), discarding identity scans.

The object is written before its row (ARCHITECTURE.md Storage): the upload streams to
the private store under a generated, dated key (`ppid_kit.storage.upload`), then one
short transaction checks the request and the caller again and inserts the row; when
it fails the object is deleted. Removals go the other way: the row is marked deleted
(`deleted_at`, kept as the record) and its object removed once that has committed, so
no live row ever names a missing object. What a crash leaves behind is the sweeper's
(`files.sweep`). No database connection is held while bytes flow. Filenames (a scan
may be called "KTP_<name>.jpg") never reach a log line or the audit log.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import uuid
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from fastapi import Request
from fastapi.responses import StreamingResponse
from ppid_kit.access import Actor
from ppid_kit.audit import write_audit
from ppid_kit.db import add_and_refresh
from ppid_kit.problems import NOT_FOUND, ProblemError, Text
from ppid_kit.storage import ObjectNotFoundError, ObjectStore, StoredObject, content_disposition
from ppid_kit.storage.upload import GENERAL, Allowlist, Upload, invalid
from ppid_kit.storage.upload import receive_upload as receive_multipart
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from requests_service.core.models import (
    IDENTITY_FILE_KINDS,
    InformationRequest,
    RequesterIdentity,
    RequestFile,
    RequestFileKind,
)
from requests_service.core.repository import get_request
from requests_service.files.access import NO_FILE, Caller, caller_of, check_upload, handler_of
from requests_service.files.removal import remove_after_commit
from requests_service.settings import RequestsSettings

_log = logging.getLogger(__name__)
_Kind = TypeVar("_Kind", bound=enum.Enum)

OBJECT_PREFIX = "request-files"
FORM_FIELDS = frozenset({"kind"})

SCAN_TYPES = Allowlist(
    frozenset({"image/jpeg", "image/png", "application/pdf"}),
    Text(
        "Pindaian identitas, akta, dan surat kuasa harus berupa JPEG, PNG, atau PDF.",
        "Identity scans, deeds and powers of attorney must be JPEG, PNG or PDF.",
    ),
)
KIND_INVALID = Text(
    "Jenis berkas harus salah satu dari: " + ", ".join(k.value for k in RequestFileKind) + ".",
    "The kind must be one of: " + ", ".join(k.value for k in RequestFileKind) + ".",
)
KIND_REQUIRED = Text("Jenis berkas (`kind`) wajib diisi.", "The `kind` field is required.")
OBJECT_MISSING = Text("Isi berkas ini tidak tersedia.", "This file's content is not available.")
PRIVATE = "no-store"


def app_state(request: Request) -> tuple[AsyncEngine, ObjectStore, RequestsSettings]:
    """The engine, private store and settings the app was started with."""
    state = request.app.state
    return state.engine, state.store, state.settings


@contextlib.asynccontextmanager
async def transaction(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """One short transaction, committed on exit (uploads and reads control their commits)."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextlib.asynccontextmanager
async def as_caller(
    engine: AsyncEngine,
    request_id: uuid.UUID,
    claims: Claims | None,
    tree: UnitTree,
    secret: str | None,
    *,
    lock: bool = False,
) -> AsyncIterator[tuple[AsyncSession, InformationRequest, Caller]]:
    """A `transaction` with the request (404 when unknown; locked when `lock`) and who
    asks about it (`caller_of`: 404 to strangers)."""
    async with transaction(engine) as session:
        owner = await get_request(session, request_id, for_update=lock)
        yield session, owner, caller_of(claims, owner, tree, secret)


def allowlist_for(kind: RequestFileKind) -> Allowlist:
    return SCAN_TYPES if kind in IDENTITY_FILE_KINDS else GENERAL


def parse_kind_field(fields: Mapping[str, str], kinds: type[_Kind], refusal: Text) -> _Kind | None:
    """The form's `kind` as one of `kinds`; None when absent, 422 (`refusal`) when unknown.
    Shared by every upload form (request files, objection files)."""
    raw = (fields.get("kind") or "").strip()
    if not raw:
        return None
    try:
        return kinds(raw)
    except ValueError:
        raise invalid("kind", refusal) from None


def parse_kind(fields: Mapping[str, str]) -> RequestFileKind | None:
    return parse_kind_field(fields, RequestFileKind, KIND_INVALID)


def stored_columns(upload: Upload[Any]) -> dict[str, Any]:
    """The columns every file row takes from its upload (kind, name, type, size, hash, key)."""
    stored = upload.stored
    return {
        "kind": upload.form,
        "filename": upload.filename,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "storage_key": stored.key,
    }


async def stream_stored(
    store: ObjectStore,
    *,
    key: str,
    size: int,
    filename: str,
    content_type: str,
    what: str,
    file_id: uuid.UUID,
) -> StreamingResponse:
    """A private file streamed as an attachment (`nosniff`, `no-store`); 404 when its
    object is gone. `what` names the file's family in the error log, never the filename."""
    try:
        chunks = await store.open_stream(key)
    except ObjectNotFoundError:
        _log.error("%s file %s names a missing object", what, file_id)
        raise ProblemError(NOT_FOUND, OBJECT_MISSING) from None
    headers = {
        "Content-Length": str(size),
        "Content-Disposition": content_disposition(filename),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": PRIVATE,
    }
    return StreamingResponse(chunks, media_type=content_type, headers=headers)


async def receive(
    request: Request,
    store: ObjectStore,
    caller: Caller,
    owner: InformationRequest,
    *,
    max_bytes: int,
) -> Upload[RequestFileKind]:
    """Read the multipart body (`kind`, `file`) into the store; nothing stays on a refusal."""

    def accepted(fields: Mapping[str, str]) -> Allowlist:
        kind = parse_kind(fields)
        if kind is None:  # `kind` after the file: checked once it is known
            return GENERAL
        check_upload(caller, owner, kind)
        return allowlist_for(kind)

    def complete(fields: Mapping[str, str], stored: StoredObject) -> RequestFileKind:
        kind = parse_kind(fields)
        if kind is None:
            raise invalid("kind", KIND_REQUIRED)
        check_upload(caller, owner, kind)
        allowlist_for(kind).check(stored.content_type)
        return kind

    return await receive_multipart(
        request,
        store,
        prefix=OBJECT_PREFIX,
        max_bytes=max_bytes,
        fields=FORM_FIELDS,
        allowed=accepted,
        complete=complete,
    )


def _audit_details(file: RequestFile, **more: Any) -> dict[str, Any]:
    # Never the filename: it may name the requester.
    return {"request_id": str(file.request_id), "kind": file.kind.value, **more}


async def audit_file(
    session: AsyncSession,
    action: str,
    file: RequestFile,
    owner: InformationRequest,
    actor: tuple[uuid.UUID | None, str],
    **details: Any,
) -> None:
    await write_audit(
        session,
        action=action,
        object_type="request_file",
        object_id=file.id,
        actor_id=actor[0],
        actor_type=actor[1],
        unit_id=owner.unit_id,
        details=_audit_details(file, **details),
    )


def bump_version(session: AsyncSession, owner: InformationRequest) -> None:
    """The request's view lists its files: a new or removed file is a new version (ETag)."""
    owner.version += 1
    session.add(owner)


async def record_upload(
    engine: AsyncEngine,
    request_id: uuid.UUID,
    claims: Claims | None,
    tree: UnitTree,
    secret: str | None,
    upload: Upload[RequestFileKind],
) -> tuple[RequestFile, Caller]:
    """The row of a stored upload, in one transaction that checks request and caller again."""
    async with as_caller(engine, request_id, claims, tree, secret, lock=True) as found:
        session, owner, caller = found
        check_upload(caller, owner, upload.form)
        file = RequestFile(
            request_id=owner.id, uploaded_by=caller.user_id, **stored_columns(upload)
        )
        file = await add_and_refresh(session, file)
        bump_version(session, owner)
        await audit_file(
            session,
            "request.file.upload",
            file,
            owner,
            caller.audit_actor(),
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
        )
    return file, caller


def files_query(
    owner: InformationRequest, caller: Caller, kind: RequestFileKind | None
) -> sa.Select[RequestFile]:
    """The live files the caller may see (`files.access.listed_for`, in SQL for paging)."""
    stmt = (
        sa.select(RequestFile)
        .where(col(RequestFile.request_id) == owner.id)
        .where(col(RequestFile.deleted_at).is_(None))
    )
    if kind is not None:
        stmt = stmt.where(col(RequestFile.kind) == kind)
    if caller.viewer.is_official:
        return stmt
    by_requester = sa.or_(
        col(RequestFile.uploaded_by).is_(None),
        col(RequestFile.uploaded_by) == owner.requester_account_id,
    )
    return stmt.where(
        sa.or_(
            col(RequestFile.kind) == RequestFileKind.DELIVERED,
            sa.and_(col(RequestFile.kind) == RequestFileKind.SUPPORTING, by_requester),
        )
    )


async def load_file(
    session: AsyncSession, owner: InformationRequest, file_id: uuid.UUID
) -> RequestFile:
    """A live file of the request, else 404."""
    file = await session.get(RequestFile, file_id)
    if file is None or file.request_id != owner.id or file.deleted_at is not None:
        raise ProblemError(NOT_FOUND, NO_FILE)
    return file


async def remove_file(
    engine: AsyncEngine, request_id: uuid.UUID, file_id: uuid.UUID, claims: Claims, tree: UnitTree
) -> str:
    """Mark the file deleted (audited); returns the object key to delete after the commit."""
    async with transaction(engine) as session:
        owner = await get_request(session, request_id, for_update=True)
        actor = handler_of(claims, owner, tree)
        file = await load_file(session, owner, file_id)
        file.deleted_at = datetime.now(UTC)
        session.add(file)
        bump_version(session, owner)
        await audit_file(
            session,
            "request.file.delete",
            file,
            owner,
            (actor.user_id, f"official:{actor.role}"),
        )
    return file.storage_key


async def discard_identity_scans(
    session: AsyncSession, store: ObjectStore, request: InformationRequest, actor: Actor
) -> int:
    """After identity verification (DOMAIN.md 17 rule 1): mark the request's identity
    scans deleted and remove their objects; returns how many. Called by `verify`.

    The rows are marked and `identity_verified_at` set in the caller's transaction; the
    objects go after it commits (`remove_after_commit`; the sweeper if that fails), so a
    rolled-back verify leaves every scan and its object as they were.
    """
    now = datetime.now(UTC)
    stmt = (
        sa.select(RequestFile)
        .where(col(RequestFile.request_id) == request.id)
        .where(col(RequestFile.kind).in_(IDENTITY_FILE_KINDS))
        .where(col(RequestFile.deleted_at).is_(None))
        .with_for_update()
    )
    scans = list((await session.execute(stmt)).scalars())
    for scan in scans:
        scan.deleted_at = now
        session.add(scan)
    identity = await session.get(RequesterIdentity, request.id)
    if identity is not None and identity.identity_verified_at is None:
        identity.identity_verified_at = now
        session.add(identity)
    await session.flush()
    await write_audit(
        session,
        action="request.identity_scans.discard",
        object_type="information_request",
        object_id=request.id,
        actor_id=actor.user_id,
        actor_type=f"official:{actor.role}",
        unit_id=request.unit_id,
        details={"files": [str(scan.id) for scan in scans], "count": len(scans)},
    )
    remove_after_commit(session, store, [scan.storage_key for scan in scans])
    return len(scans)
