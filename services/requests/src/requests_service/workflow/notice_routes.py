"""The written notice and the refusal decree: as data and as PDF (DOMAIN.md 8.4, 8.5).

Readable by reader officials of the handling unit, the requester's account and whoever
holds the tracking secret (`core.access.viewer_of`); 404 to anyone else, and while no
notice (or, for the decree, no refusal) exists.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from ppid_kit.db import SessionDep
from ppid_kit.etag import etag_for, json_with_etag
from ppid_kit.problems import NOT_FOUND, ProblemError, Text, problem_responses
from ppid_kit.storage import content_disposition
from ppid_kit.tokens import OptionalClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core import repository
from requests_service.core.access import viewer_of
from requests_service.core.views import not_modified_with
from requests_service.pdf import render_pdf
from requests_service.workflow.deps import RequestId, TrackingSecret
from requests_service.workflow.documents import decree_document, notice_document, notice_view
from requests_service.workflow.models import RefusalDecree, RequestNotice
from requests_service.workflow.schemas import NoticeView

router = APIRouter(tags=["requests"])

NO_NOTICE = Text(
    "Pemberitahuan tertulis belum diterbitkan.", "No written notice has been issued yet."
)
NO_DECREE = Text(
    "Permohonan ini tidak ditolak dengan keputusan penolakan.",
    "This request was not refused by a refusal decree.",
)
PRIVATE = "private, no-cache"
_PDF: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        "headers": {"ETag": {"schema": {"type": "string"}}},
    },
    304: {"description": "Not modified."},
    **problem_responses(401, 404, 422),
}
READERS = (
    " Reader officials of the handling unit, the requester's account, or the holder of the "
    "`X-Tracking-Secret`; 404 to anyone else."
)


async def _notice_view(
    session: AsyncSession,
    claims: Any,
    tree: UnitTree,
    request_id: uuid.UUID,
    secret: str | None,
) -> NoticeView:
    info = await repository.get_request(session, request_id)
    viewer_of(claims, info, tree, secret)
    notice = await session.get(RequestNotice, info.id)
    if notice is None:
        raise ProblemError(NOT_FOUND, NO_NOTICE)
    decree = await session.get(RefusalDecree, info.id)
    identity = await repository.identity(session, info.id)
    return notice_view(info, notice, decree, identity.name if identity else None)


def _pdf(request: Request, view: NoticeView, kind: str, filename: str) -> Response:
    """The PDF with a weak ETag of what it says (fpdf stamps each rendering's time)."""
    etag = "W/" + etag_for(f"{kind}:{view.model_dump_json()}")
    headers = {
        "ETag": etag,
        "Cache-Control": PRIVATE,
        "Content-Disposition": content_disposition(filename, inline=True),
        "X-Content-Type-Options": "nosniff",
    }
    cached = not_modified_with(request, headers)
    if cached is not None:
        return cached
    document = notice_document(view) if kind == "notice" else decree_document(view)
    return Response(render_pdf(document), media_type="application/pdf", headers=headers)


def _file_stem(view: NoticeView) -> str:
    return view.registration_number.replace("/", "-")


@router.get(
    "/v1/requests/{request_id}/notice",
    response_model=NoticeView,
    summary="Get a request's written notice (and refusal decree)",
    description="The notice as data, with the decree when the request was refused." + READERS,
    responses={
        200: {"headers": {"ETag": {"schema": {"type": "string"}}}},
        304: {"description": "Not modified."},
        **problem_responses(401, 404, 422),
    },
)
async def get_request_notice(
    request: Request,
    session: SessionDep,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    x_tracking_secret: TrackingSecret = None,
) -> Response:
    view = await _notice_view(session, claims, tree, request_id, x_tracking_secret)
    return json_with_etag(request, view.model_dump(mode="json"), cache_control=PRIVATE)


@router.get(
    "/v1/requests/{request_id}/notice.pdf",
    response_class=Response,
    summary="Download a request's written notice as PDF",
    description="Pemberitahuan Tertulis (UU Pasal 22(7))." + READERS,
    responses=_PDF,
)
async def get_request_notice_pdf(
    request: Request,
    session: SessionDep,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    x_tracking_secret: TrackingSecret = None,
) -> Response:
    view = await _notice_view(session, claims, tree, request_id, x_tracking_secret)
    return _pdf(request, view, "notice", f"pemberitahuan-tertulis-{_file_stem(view)}.pdf")


@router.get(
    "/v1/requests/{request_id}/decree.pdf",
    response_class=Response,
    summary="Download a request's refusal decree as PDF",
    description="Keputusan PPID tentang Penolakan Permohonan Informasi; 404 unless refused."
    + READERS,
    responses=_PDF,
)
async def get_request_decree_pdf(
    request: Request,
    session: SessionDep,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    x_tracking_secret: TrackingSecret = None,
) -> Response:
    view = await _notice_view(session, claims, tree, request_id, x_tracking_secret)
    if view.decree is None:
        raise ProblemError(NOT_FOUND, NO_DECREE)
    return _pdf(request, view, "decree", f"keputusan-penolakan-{_file_stem(view)}.pdf")
