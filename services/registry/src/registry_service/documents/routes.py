"""Upload, download and removal of documents (DIP and DIK).

`POST …/documents` takes `multipart/form-data` parsed by hand from the request stream
(`documents.multipart`), so a 500 MB file never sits in memory; the body is therefore
documented with `openapi_extra` rather than with form parameters.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from ppid_kit.etag import not_modified
from ppid_kit.problems import NOT_FOUND, ProblemError, problem_responses
from ppid_kit.storage import (
    ALLOWED_TYPES,
    ObjectNotFoundError,
    ObjectStore,
    content_disposition,
)
from ppid_kit.tokens import Claims, CurrentClaims, OptionalClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep
from sqlalchemy.ext.asyncio import AsyncEngine

from registry_service.documents.models import DocumentKind, DocumentPublic
from registry_service.documents.service import (
    NO_DIK_ENTRY,
    NO_ENTRY,
    OBJECT_MISSING,
    OwnerKind,
    check_writable,
    discard,
    load_document,
    load_owner,
    may_read,
    receive_upload,
    record_upload,
    remove_document,
    transaction,
)
from registry_service.settings import RegistrySettings

_log = logging.getLogger(__name__)

router = APIRouter()

EntryId = Annotated[uuid.UUID, Path(description="The DIP entry's id.")]
DikId = Annotated[uuid.UUID, Path(description="The DIK entry's id.")]
DocumentId = Annotated[uuid.UUID, Path(description="The document's id.")]

_STRING = {"schema": {"type": "string"}}


def _upload_body(owner: str) -> dict[str, Any]:
    schema = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {
                "type": "string",
                "format": "binary",
                "contentMediaType": "application/octet-stream",
                "description": (
                    "The file. Its type is read from its first bytes (the name and the "
                    "declared type do not count) and must be one of: "
                    + ", ".join(sorted(ALLOWED_TYPES))
                    + ". The client's filename is kept as metadata only."
                ),
            },
            "title": {
                "type": "string",
                "maxLength": 255,
                "description": "A title shown instead of the filename.",
                "examples": ["Laporan Realisasi Anggaran 2024"],
            },
            "kind": {
                "type": "string",
                "enum": [k.value for k in DocumentKind],
                "default": DocumentKind.ORIGINAL.value,
                "description": (
                    "`original`, or `redacted`: a version with exempted parts blacked out "
                    "(DOMAIN.md 6.4), which must name its original in `redacts_id`."
                ),
            },
            "redacts_id": {
                "type": "string",
                "format": "uuid",
                "description": f"For `kind=redacted`: the original document of the same {owner}.",
            },
        },
    }
    return {
        "requestBody": {
            "required": True,
            "description": (
                "`multipart/form-data`, streamed to storage. Send the text fields before "
                "`file` so that invalid ones are refused before the upload."
            ),
            "content": {
                "multipart/form-data": {
                    "schema": schema,
                    "encoding": {"file": {"contentType": "application/octet-stream"}},
                }
            },
        }
    }


_CREATED: dict[int | str, dict[str, Any]] = {
    201: {
        "description": "Stored: the document's metadata.",
        "headers": {"Location": {"description": "Where to download it.", **_STRING}},
    },
}

_CONTENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": (
            "The file, streamed (local storage), with its sniffed `Content-Type`, "
            "`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff` and a "
            "strong `ETag` made of its SHA-256."
        ),
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        "headers": {
            "ETag": {"description": "The SHA-256 of the bytes, quoted.", **_STRING},
            "Content-Disposition": {"description": "attachment; filename=…", **_STRING},
            "Cache-Control": {
                "description": "`public, max-age=60` when published, else `private, no-cache`.",
                **_STRING,
            },
        },
    },
    304: {"description": "Not modified (`If-None-Match` names the current ETag)."},
    307: {
        "description": (
            "S3 storage with a public endpoint configured: a redirect to a short-lived "
            "presigned URL that serves the bytes (`Cache-Control: no-store`)."
        ),
        "headers": {"Location": {"description": "The presigned URL.", **_STRING}},
    },
}


def _state(request: Request) -> tuple[AsyncEngine, ObjectStore, RegistrySettings]:
    state = request.app.state
    return state.engine, state.store, state.settings


async def _upload(
    request: Request, kind: OwnerKind, owner_id: uuid.UUID, claims: Claims, tree: UnitTree
) -> JSONResponse:
    engine, store, settings = _state(request)
    # Refuse before reading a byte of the body: unknown entry, not an editor, closed entry.
    async with transaction(engine) as session:
        await check_writable(session, kind, owner_id, claims, tree)
    received = await receive_upload(request, store, max_bytes=settings.max_upload_bytes)
    try:
        document = await record_upload(engine, kind, owner_id, claims, tree, received)
    except BaseException:
        await discard(store, received.stored.key)
        raise
    public = DocumentPublic.of(document)
    return JSONResponse(
        public.model_dump(mode="json"), status_code=201, headers={"Location": public.url}
    )


async def _delete(
    request: Request,
    kind: OwnerKind,
    owner_id: uuid.UUID,
    document_id: uuid.UUID,
    claims: Claims,
    tree: UnitTree,
) -> Response:
    engine, store, _ = _state(request)
    key = await remove_document(engine, kind, owner_id, document_id, claims, tree)
    await discard(store, key)  # after the commit; the sweeper catches a failure here
    return Response(status_code=204)


async def _content(
    request: Request,
    kind: OwnerKind,
    owner_id: uuid.UUID,
    document_id: uuid.UUID,
    claims: Claims | None,
    tree: UnitTree,
) -> Response:
    engine, store, settings = _state(request)
    async with transaction(engine) as session:
        owner = await load_owner(session, kind, owner_id)
        if not may_read(owner, claims, tree):
            raise ProblemError(NOT_FOUND, NO_ENTRY if kind == "dip" else NO_DIK_ENTRY)
        document = await load_document(session, owner, document_id)
        public = owner.public
    expires = timedelta(seconds=settings.presigned_url_seconds)
    url = await store.presigned_url(
        document.object_key, filename=document.filename, expires=expires
    )
    if url is not None:
        return RedirectResponse(url, status_code=307, headers={"Cache-Control": "no-store"})
    headers = {
        "ETag": f'"{document.sha256}"',
        "Cache-Control": "public, max-age=60" if public else "private, no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    cached = not_modified(request, headers["ETag"])
    if cached is not None:
        cached.headers.update(headers)
        return cached
    try:
        chunks = await store.open_stream(document.object_key)
    except ObjectNotFoundError:
        _log.error("document %s names a missing object", document.id)
        raise ProblemError(NOT_FOUND, OBJECT_MISSING) from None
    headers["Content-Length"] = str(document.size)
    headers["Content-Disposition"] = content_disposition(document.filename)
    return StreamingResponse(chunks, media_type=document.content_type, headers=headers)


# --- DIP ---------------------------------------------------------------------------------

dip = APIRouter(prefix="/v1/dip/entries/{entry_id}/documents", tags=["dip documents"])


@dip.post(
    "",
    status_code=201,
    response_model=DocumentPublic,
    summary="Upload a document to a DIP entry",
    description=(
        "PPID Pelaksana of the entry's unit or PPID Utama of its root. Streamed to storage "
        "under a generated key, at most `REGISTRY_MAX_UPLOAD_BYTES` (413), its type checked "
        "by magic bytes against the allowlist (415: nothing is stored), hashed (SHA-256). "
        "Not on withdrawn, archived or superseded entries (409). On a published entry the "
        "changes feed records the new document list."
    ),
    responses={**_CREATED, **problem_responses(400, 401, 403, 404, 409, 413, 415, 422)},
    openapi_extra=_upload_body("entry"),
)
async def upload_dip_document(
    request: Request, entry_id: EntryId, claims: CurrentClaims, tree: UnitTreeDep
) -> JSONResponse:
    return await _upload(request, "dip", entry_id, claims, tree)


@dip.delete(
    "/{document_id}",
    status_code=204,
    summary="Remove a document from a DIP entry",
    description=(
        "Editors of the entry's unit. The row goes at once and the stored object right after "
        "(or with the sweeper). An original with redacted versions is refused (409): remove "
        "them first. On a published entry the changes feed records the new document list."
    ),
    responses={204: {"description": "Removed."}, **problem_responses(401, 403, 404, 409, 422)},
)
async def delete_dip_document(
    request: Request,
    entry_id: EntryId,
    document_id: DocumentId,
    claims: CurrentClaims,
    tree: UnitTreeDep,
) -> Response:
    return await _delete(request, "dip", entry_id, document_id, claims, tree)


@dip.get(
    "/{document_id}/content",
    response_class=Response,
    summary="Download a DIP document",
    description=(
        "Anyone, when the entry is published; otherwise only officials of the entry's badan "
        "publik (404 to everyone else). S3 storage with a public endpoint answers with a "
        "redirect to a short-lived presigned URL; otherwise the service streams the file."
    ),
    responses={**_CONTENT_RESPONSES, **problem_responses(401, 404, 422)},
)
async def get_dip_document_content(
    request: Request,
    entry_id: EntryId,
    document_id: DocumentId,
    claims: OptionalClaims,
    tree: UnitTreeDep,
) -> Response:
    return await _content(request, "dip", entry_id, document_id, claims, tree)


# --- DIK ---------------------------------------------------------------------------------

dik = APIRouter(prefix="/v1/dik/entries/{dik_id}/documents", tags=["dik documents"])


@dik.post(
    "",
    status_code=201,
    response_model=DocumentPublic,
    summary="Upload a document to a DIK entry",
    description=(
        "The exempted document or a redacted version of it (`kind=redacted` with "
        "`redacts_id`, DOMAIN.md 6.4). Editors of the DIK entry's unit; not on withdrawn "
        "DIK entries (409). The same limits as DIP uploads (413, 415, 422). DIK documents "
        "are never public."
    ),
    responses={**_CREATED, **problem_responses(400, 401, 403, 404, 409, 413, 415, 422)},
    openapi_extra=_upload_body("DIK entry"),
)
async def upload_dik_document(
    request: Request, dik_id: DikId, claims: CurrentClaims, tree: UnitTreeDep
) -> JSONResponse:
    return await _upload(request, "dik", dik_id, claims, tree)


@dik.delete(
    "/{document_id}",
    status_code=204,
    summary="Remove a document from a DIK entry",
    description=(
        "Editors of the DIK entry's unit. An original with redacted versions is refused "
        "(409): remove them first."
    ),
    responses={204: {"description": "Removed."}, **problem_responses(401, 403, 404, 409, 422)},
)
async def delete_dik_document(
    request: Request,
    dik_id: DikId,
    document_id: DocumentId,
    claims: CurrentClaims,
    tree: UnitTreeDep,
) -> Response:
    return await _delete(request, "dik", dik_id, document_id, claims, tree)


@dik.get(
    "/{document_id}/content",
    response_class=Response,
    summary="Download a DIK document (officials of the badan publik)",
    description=(
        "Never anonymous (401 without a token); officials of the DIK entry's badan publik "
        "only (404 to others). S3 storage with a public endpoint redirects to a short-lived "
        "presigned URL; otherwise the service streams the file."
    ),
    responses={**_CONTENT_RESPONSES, **problem_responses(401, 404, 422)},
)
async def get_dik_document_content(
    request: Request,
    dik_id: DikId,
    document_id: DocumentId,
    claims: CurrentClaims,
    tree: UnitTreeDep,
) -> Response:
    return await _content(request, "dik", dik_id, document_id, claims, tree)


router.include_router(dip)
router.include_router(dik)
