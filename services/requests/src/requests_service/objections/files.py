"""Files of an objection: the agent's power of attorney (SLIP Pasal 40) and supporting papers.

Like the request files (`files/`): the object is streamed to the private store first
(`ppid_kit.storage.upload`, no database connection held while bytes flow), then one short
transaction checks the objection and the caller again and writes the row and the audit;
a refusal deletes the object. Reads are streamed through the service and audited. A power
of attorney names people: only the handlers of the unit read it, and outside the officials
its filename is replaced by its kind. Filenames never reach a log line or the audit log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Mapping
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit.access import Actor
from ppid_kit.audit import write_audit
from ppid_kit.db import add_and_refresh
from ppid_kit.etag import json_with_etag
from ppid_kit.models import PublicModel
from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError, Text, problem_responses
from ppid_kit.storage import StoredObject
from ppid_kit.storage.upload import GENERAL, Allowlist, Upload, delete_quietly, invalid
from ppid_kit.storage.upload import receive_upload as receive_multipart
from ppid_kit.tokens import Claims, OptionalClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from requests_service.core.access import HANDLER_ROLES, audit_actor_type, covers
from requests_service.core.models import ActorType
from requests_service.files.service import (
    PRIVATE,
    SCAN_TYPES,
    app_state,
    parse_kind_field,
    stored_columns,
    stream_stored,
    transaction,
)
from requests_service.intake.deps import TrackingSecretHeader
from requests_service.objections.access import (
    NOT_HANDLER,
    ObjectionViewer,
    filer_or_handler,
    viewer_of,
)
from requests_service.objections.models import (
    OBJECTION_TERMINAL_STATES,
    Objection,
    ObjectionFile,
    ObjectionFileKind,
)
from requests_service.objections.repository import get_objection
from requests_service.objections.rules import invalid as invalid_transition

router = APIRouter(tags=["objections"])

ObjectionId = Annotated[uuid.UUID, Path(description="The objection's id.")]
FileId = Annotated[uuid.UUID, Path(description="The file's id.")]
OBJECT_PREFIX = "objection-files"
_STRING: dict[str, Any] = {"schema": {"type": "string"}}
KIND_INVALID = Text(
    "Jenis berkas harus power_of_attorney atau supporting.",
    "The kind must be power_of_attorney or supporting.",
)
KIND_REQUIRED = Text("Jenis berkas (`kind`) wajib diisi.", "The `kind` field is required.")
NO_FILE = Text("Berkas tidak ditemukan.", "File not found.")
ENDED = Text(
    "Keberatan yang sudah selesai tidak menerima berkas.", "A finished objection takes no file."
)


class ObjectionFilePublic(PublicModel):
    id: uuid.UUID
    kind: ObjectionFileKind
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: dt.datetime
    url: str

    @classmethod
    def of(cls, file: ObjectionFile, *, official: bool) -> ObjectionFilePublic:
        """Outside the officials a power of attorney's filename (it may name people) is its kind."""
        hidden = file.kind is ObjectionFileKind.POWER_OF_ATTORNEY and not official
        return cls(
            id=file.id,
            kind=file.kind,
            filename=file.kind.value if hidden else file.filename,
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
            created_at=file.created_at,
            url=f"/v1/objections/{file.objection_id}/files/{file.id}/content",
        )


class ObjectionFileList(PublicModel):
    items: list[ObjectionFilePublic]


def _parse_kind(fields: Mapping[str, str]) -> ObjectionFileKind | None:
    return parse_kind_field(fields, ObjectionFileKind, KIND_INVALID)


@contextlib.asynccontextmanager
async def _as_reader(
    engine: AsyncEngine,
    objection_id: uuid.UUID,
    claims: Claims | None,
    tree: UnitTree,
    secret: str | None,
) -> AsyncIterator[tuple[AsyncSession, Objection, ObjectionViewer]]:
    """A transaction with the objection and who reads it (`viewer_of`: 404 to strangers),
    like `files.service.as_caller` for a request's files."""
    async with transaction(engine) as session:
        objection = await get_objection(session, objection_id)
        yield session, objection, viewer_of(claims, objection, tree, secret)


def _allowlist(kind: ObjectionFileKind | None) -> Allowlist:
    return SCAN_TYPES if kind is ObjectionFileKind.POWER_OF_ATTORNEY else GENERAL


async def _uploader(
    session: AsyncSession,
    objection_id: uuid.UUID,
    claims: Claims | None,
    tree: UnitTree,
    secret: str | None,
) -> tuple[Objection, Actor | None, ActorType]:
    """The objection (locked) and who uploads: the filer or a handler; 409 once it ended."""
    objection = await get_objection(session, objection_id, for_update=True)
    actor, actor_type = filer_or_handler(claims, objection, tree, secret)
    if objection.state in OBJECTION_TERMINAL_STATES:
        raise invalid_transition(ENDED)
    return objection, actor, actor_type


_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "`multipart/form-data`: `kind` (before `file`), then `file`.",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {"type": "string", "enum": [k.value for k in ObjectionFileKind]},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/v1/objections/{objection_id}/files",
    status_code=201,
    response_model=ObjectionFilePublic,
    summary="Attach a file to an objection",
    description=(
        "`power_of_attorney` (an agent's special power, SLIP Pasal 40: JPEG, PNG or PDF) or "
        "`supporting`. By the filer (account or `X-Tracking-Secret`) or a handler of the "
        "unit; other officials of the unit 403, anyone else 404; not once it ended (409). "
        "Streamed to the private store, type checked by magic bytes (415), audited."
    ),
    responses={
        201: {"headers": {"Location": {"description": "Where to download it.", **_STRING}}},
        **problem_responses(400, 401, 403, 404, 409, 413, 415, 422),
    },
    openapi_extra=_UPLOAD_BODY,
)
async def upload_objection_file(
    request: Request,
    objection_id: ObjectionId,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    secret: TrackingSecretHeader = None,
) -> JSONResponse:
    engine, store, settings = app_state(request)
    async with transaction(engine) as session:  # refuse before reading a byte
        await _uploader(session, objection_id, claims, tree, secret)

    def complete(fields: Mapping[str, str], stored: StoredObject) -> ObjectionFileKind:
        kind = _parse_kind(fields)
        if kind is None:
            raise invalid("kind", KIND_REQUIRED)
        _allowlist(kind).check(stored.content_type)
        return kind

    upload: Upload[ObjectionFileKind] = await receive_multipart(
        request,
        store,
        prefix=OBJECT_PREFIX,
        max_bytes=settings.max_upload_bytes,
        fields=frozenset({"kind"}),
        allowed=lambda fields: _allowlist(_parse_kind(fields)),
        complete=complete,
    )
    try:
        file, actor_type = await _record(engine, objection_id, claims, tree, secret, upload)
    except BaseException:
        await delete_quietly(store, upload.stored.key)
        raise
    public = ObjectionFilePublic.of(file, official=actor_type is ActorType.OFFICIAL)
    return JSONResponse(
        public.model_dump(mode="json"), status_code=201, headers={"Location": public.url}
    )


async def _record(
    engine: AsyncEngine,
    objection_id: uuid.UUID,
    claims: Claims | None,
    tree: UnitTree,
    secret: str | None,
    upload: Upload[ObjectionFileKind],
) -> tuple[ObjectionFile, ActorType]:
    async with transaction(engine) as session:
        objection, actor, actor_type = await _uploader(session, objection_id, claims, tree, secret)
        file = await add_and_refresh(
            session,
            ObjectionFile(
                objection_id=objection.id,
                uploaded_by=None if actor is None else actor.user_id,
                **stored_columns(upload),
            ),
        )
        await write_audit(
            session,
            action="objection.file.upload",
            object_type="objection_file",
            object_id=file.id,
            actor_id=None if actor is None else actor.user_id,
            actor_type=audit_actor_type(actor_type, actor),
            unit_id=objection.unit_id,
            details={
                "objection_id": str(objection.id),
                "kind": file.kind.value,
                "content_type": file.content_type,
                "size": file.size,
                "sha256": file.sha256,
            },
        )
    return file, actor_type


@router.get(
    "/v1/objections/{objection_id}/files",
    response_model=ObjectionFileList,
    summary="List an objection's files",
    description=(
        "Reader officials of the unit, the filer's account or the `X-Tracking-Secret` "
        "holder; 404 to anyone else. Oldest first. Outside the officials a power of "
        "attorney is listed under its kind, not its filename."
    ),
    responses={**problem_responses(401, 404, 422)},
)
async def list_objection_files(
    request: Request,
    objection_id: ObjectionId,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    secret: TrackingSecretHeader = None,
) -> Response:
    engine, _, _ = app_state(request)
    async with _as_reader(engine, objection_id, claims, tree, secret) as found:
        session, objection, viewer = found
        stmt = (
            sa.select(ObjectionFile)
            .where(col(ObjectionFile.objection_id) == objection.id)
            .where(col(ObjectionFile.deleted_at).is_(None))
            .order_by(col(ObjectionFile.created_at), col(ObjectionFile.id))
        )
        files = list((await session.execute(stmt)).scalars())
    items = [
        ObjectionFilePublic.of(f, official=viewer.is_official).model_dump(mode="json")
        for f in files
    ]
    return json_with_etag(request, {"items": items}, cache_control=PRIVATE)


def _check_read(
    claims: Claims | None,
    viewer: ObjectionViewer,
    objection: Objection,
    tree: UnitTree,
    file: ObjectionFile,
) -> None:
    """A power of attorney: handlers of the unit only (other officials 403, others 404)."""
    if file.kind is not ObjectionFileKind.POWER_OF_ATTORNEY:
        return
    if claims is not None and covers(claims, objection.unit_id, tree, HANDLER_ROLES):
        return
    if viewer.is_official:
        raise ProblemError(FORBIDDEN, NOT_HANDLER)
    raise ProblemError(NOT_FOUND, NO_FILE)


@router.get(
    "/v1/objections/{objection_id}/files/{file_id}/content",
    response_class=Response,
    summary="Download an objection's file",
    description=(
        "Supporting files: the objection's readers. A power of attorney: handlers of the "
        "unit only (other reader officials 403, everyone else 404). Streamed, "
        "`Content-Disposition: attachment`, `nosniff`, `no-store`; audited "
        "(`objection.file.read`)."
    ),
    responses={
        200: {"content": {"application/octet-stream": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403, 404, 422),
    },
)
async def get_objection_file_content(
    request: Request,
    objection_id: ObjectionId,
    file_id: FileId,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    secret: TrackingSecretHeader = None,
) -> Response:
    engine, store, _ = app_state(request)
    async with _as_reader(engine, objection_id, claims, tree, secret) as found:
        session, objection, viewer = found
        file = await session.get(ObjectionFile, file_id)
        if file is None or file.objection_id != objection.id or file.deleted_at is not None:
            raise ProblemError(NOT_FOUND, NO_FILE)
        _check_read(claims, viewer, objection, tree, file)
        actor = viewer.actor
        await write_audit(
            session,
            action="objection.file.read",
            object_type="objection_file",
            object_id=file.id,
            actor_id=None if actor is None else actor.user_id,
            actor_type=audit_actor_type(viewer.kind, actor),
            unit_id=objection.unit_id,
            details={"objection_id": str(objection.id), "kind": file.kind.value},
        )
    return await stream_stored(
        store,
        key=file.storage_key,
        size=file.size,
        filename=file.filename,
        content_type=file.content_type,
        what="objection",
        file_id=file.id,
    )
