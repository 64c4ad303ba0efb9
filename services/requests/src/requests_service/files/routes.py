"""Private files of a request: upload, list, read (streamed, audited), remove.

Uploads are `multipart/form-data` read by hand from the request stream
(`ppid_kit.storage.upload`), so the body is documented with `openapi_extra`. Every
download is streamed through the service after the access check (never a presigned
URL: the bucket is private and each read is logged, ARCHITECTURE.md Storage). The
identity route (`identity.routes`) is mounted here too.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit.cursor import Page
from ppid_kit.paging import Keyset, PagingDep, keyset_page
from ppid_kit.problems import problem_responses
from ppid_kit.storage import ALLOWED_TYPES
from ppid_kit.storage.upload import delete_quietly
from ppid_kit.tokens import CurrentClaims, OptionalClaims
from ppid_kit.unit_tree import UnitTreeDep

from requests_service.core.models import IDENTITY_FILE_KINDS, RequestFile, RequestFileKind
from requests_service.core.views import RequestFilePublic, page_response
from requests_service.files import service
from requests_service.files.access import Caller, check_may_upload, check_read
from requests_service.identity import routes as identity
from requests_service.intake.deps import TrackingSecretHeader

router = APIRouter(tags=["requests"])

RequestId = Annotated[uuid.UUID, Path(description="The request's id.")]
FileId = Annotated[uuid.UUID, Path(description="The file's id.")]
_STRING = {"schema": {"type": "string"}}
PRIVATE = service.PRIVATE


class RequestFilePage(Page[RequestFilePublic]):
    """One page of a request's files."""


def file_public(file: RequestFile, caller: Caller) -> RequestFilePublic:
    """The file as the caller may see it: outside the officials, an identity scan's
    filename (which may name the requester) is replaced by its kind."""
    public = RequestFilePublic.of(file)
    if file.kind in IDENTITY_FILE_KINDS and not caller.viewer.is_official:
        return public.model_copy(update={"filename": file.kind.value})
    return public


_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "`multipart/form-data`, streamed to the private store. Send `kind` "
        "before `file` so that a refusal comes before the upload.",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {
                            "type": "string",
                            "enum": [k.value for k in RequestFileKind],
                            "description": "`ktp_scan`, `deed_scan`, `power_of_attorney` "
                            "(identity evidence: JPEG, PNG or PDF), `supporting`, or "
                            "`delivered` (the information handed over; officials only).",
                        },
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "contentMediaType": "application/octet-stream",
                            "description": "Its type is read from its first bytes. Identity "
                            "evidence: image/jpeg, image/png, application/pdf; other kinds: "
                            + ", ".join(sorted(ALLOWED_TYPES))
                            + ". The filename is metadata only.",
                        },
                    },
                },
                "encoding": {"file": {"contentType": "application/octet-stream"}},
            }
        },
    }
}


@router.post(
    "/v1/requests/{request_id}/files",
    status_code=201,
    response_model=RequestFilePublic,
    summary="Attach a file to a request",
    description=(
        "Identity evidence and supporting files: the requester (their account, or the "
        "`X-Tracking-Secret` header) or a handler of the handling unit; `delivered`: "
        "handlers only (403). Not on a closed, withdrawn or rejected request (409). "
        "Streamed to the private store under a generated key, at most "
        "`REQUESTS_MAX_UPLOAD_BYTES` (413), its type checked by magic bytes (415: nothing "
        "is stored), hashed (SHA-256), audited. Others get 404. No `Idempotency-Key`: a "
        "retried upload adds a second file, which a handler may remove."
    ),
    responses={
        201: {"headers": {"Location": {"description": "Where to download it.", **_STRING}}},
        **problem_responses(400, 401, 403, 404, 409, 413, 415, 422, 503),
    },
    openapi_extra=_UPLOAD_BODY,
)
async def upload_request_file(
    request: Request,
    request_id: RequestId,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    secret: TrackingSecretHeader = None,
) -> JSONResponse:
    engine, store, settings = service.app_state(request)
    # Refuse before reading a byte of the body: unknown request, stranger, ended request.
    async with service.as_caller(engine, request_id, claims, tree, secret) as (_, owner, caller):
        check_may_upload(caller, owner)
    upload = await service.receive(
        request, store, caller, owner, max_bytes=settings.max_upload_bytes
    )
    try:
        file, caller = await service.record_upload(engine, request_id, claims, tree, secret, upload)
    except BaseException:
        await delete_quietly(store, upload.stored.key)
        raise
    public = file_public(file, caller)
    return JSONResponse(
        public.model_dump(mode="json"), status_code=201, headers={"Location": public.url}
    )


@router.get(
    "/v1/requests/{request_id}/files",
    response_model=RequestFilePage,
    summary="List a request's files",
    description=(
        "Reader officials of the handling unit see every live file; the requester (account "
        "or `X-Tracking-Secret`) sees the delivered information and the supporting files "
        "their side uploaded, never identity evidence. Others get 404. Oldest first; "
        "`Cache-Control: no-store`."
    ),
    responses={
        200: {"headers": {"Link": {"description": 'RFC 8288 rel="next".', **_STRING}}},
        304: {"description": "Not modified."},
        **problem_responses(400, 404, 422),
    },
)
async def list_request_files(
    request: Request,
    request_id: RequestId,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    paging: PagingDep,
    kind: Annotated[RequestFileKind | None, Query(description="Only this kind.")] = None,
    secret: TrackingSecretHeader = None,
) -> Response:
    engine, _, _ = service.app_state(request)
    async with service.as_caller(engine, request_id, claims, tree, secret) as found:
        session, owner, caller = found
        stmt = service.files_query(owner, caller, kind)
        page = await keyset_page(session, stmt, Keyset(RequestFile, "created_at", "id"), paging)
    items = [file_public(file, caller) for file in page.items]
    return page_response(request, items, page.next_cursor, cache_control=PRIVATE)


_CONTENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The bytes, streamed, with the sniffed `Content-Type`, "
        "`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff` and "
        "`Cache-Control: no-store`.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        "headers": {"Content-Disposition": {"description": "attachment; filename=…", **_STRING}},
    },
}


@router.get(
    "/v1/requests/{request_id}/files/{file_id}/content",
    response_class=Response,
    summary="Download a request's file",
    description=(
        "Delivered information: reader officials of the unit, the requester's account, the "
        "`X-Tracking-Secret` holder. Supporting files: reader officials, and the requester "
        "when their side uploaded them. Identity evidence (KTP, deed, power of attorney): "
        "handlers of the handling unit only (other reader officials 403, everyone else "
        "404), never by presigned URL. Every read is audited (`request.identity_file.read` "
        "for identity evidence, `request.file.read` otherwise)."
    ),
    responses={**_CONTENT_RESPONSES, **problem_responses(403, 404, 422, 503)},
)
async def get_request_file_content(
    request: Request,
    request_id: RequestId,
    file_id: FileId,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    secret: TrackingSecretHeader = None,
) -> Response:
    engine, store, _ = service.app_state(request)
    async with service.as_caller(engine, request_id, claims, tree, secret) as found:
        session, owner, caller = found
        file = await service.load_file(session, owner, file_id)
        check_read(caller, file, owner)
        identity_kind = file.kind in IDENTITY_FILE_KINDS
        action = "request.identity_file.read" if identity_kind else "request.file.read"
        await service.audit_file(session, action, file, owner, caller.audit_actor())
    return await service.stream_stored(
        store,
        key=file.storage_key,
        size=file.size,
        filename=file.filename,
        content_type=file.content_type,
        what="request",
        file_id=file.id,
    )


@router.delete(
    "/v1/requests/{request_id}/files/{file_id}",
    status_code=204,
    summary="Remove a request's file",
    description=(
        "Handlers of the handling unit. The row stays as the record, marked deleted; the "
        "stored object goes right after (or with the sweeper). Audited."
    ),
    responses={204: {"description": "Removed."}, **problem_responses(401, 403, 404, 422)},
)
async def delete_request_file(
    request: Request,
    request_id: RequestId,
    file_id: FileId,
    claims: CurrentClaims,
    tree: UnitTreeDep,
) -> Response:
    engine, store, _ = service.app_state(request)
    key = await service.remove_file(engine, request_id, file_id, claims, tree)
    await delete_quietly(store, key)  # after the commit; the sweeper if this fails
    return Response(status_code=204)


router.include_router(identity.router)
