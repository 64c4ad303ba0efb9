"""`/v1/requests/fees/{root_id}`: a root's cost standard (standar biaya, DOMAIN.md 12).

Public: the cost standard must be announced (Perki 1/2010 Pasal 28(4); Monev checks
it). Set by an admin or the PPID Utama of the root, replacing the whole list.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit.access import ADMIN, PPID_UTAMA, require_role, require_root
from ppid_kit.db import SessionDep
from ppid_kit.etag import not_modified, require_if_match
from ppid_kit.problems import Text, problem_responses
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep

from requests_service.workflow import fees
from requests_service.workflow.schemas import FeeSchedulePublic, FeeSchedulePut

router = APIRouter(tags=["requests"])

RootId = Annotated[uuid.UUID, Path(description="The root (badan publik).")]
_ETAG: dict[str, Any] = {
    "ETag": {"schema": {"type": "string"}, "description": "Send it back in `If-Match` to replace."}
}
_NOT_FEE_EDITOR = Text(
    "Hanya admin atau PPID Utama badan publik ini yang menetapkan standar biaya.",
    "Only an admin or the PPID Utama of this public body sets the cost standard.",
)


def _schedule_response(
    shown: FeeSchedulePublic, status_code: int = 200, cache: str = "no-store"
) -> JSONResponse:
    headers = {
        "ETag": fees.schedule_etag(shown.root_id, shown.version),
        "Cache-Control": cache,
    }
    return JSONResponse(shown.model_dump(mode="json"), status_code=status_code, headers=headers)


@router.get(
    "/v1/requests/fees/{root_id}",
    response_model=FeeSchedulePublic,
    summary="Get a root's fee schedule (cost standard)",
    description=(
        "The items and prices set by the head's decree, in announced order; an empty list "
        "(version 0) while the root has none. Public."
    ),
    responses={
        200: {"headers": _ETAG},
        304: {"description": "Not modified."},
        **problem_responses(404, 422),
    },
)
async def get_fee_schedule(
    request: Request, session: SessionDep, tree: UnitTreeDep, root_id: RootId
) -> Response:
    require_root(root_id, tree)
    shown = await fees.schedule_public(session, root_id)
    cache = "public, max-age=60"
    cached = not_modified(request, fees.schedule_etag(root_id, shown.version))
    if cached is not None:
        cached.headers["Cache-Control"] = cache
        return cached
    return _schedule_response(shown, cache=cache)


@router.put(
    "/v1/requests/fees/{root_id}",
    response_model=FeeSchedulePublic,
    summary="Replace a root's fee schedule",
    description=(
        "An admin or the PPID Utama of the root. The list replaces the schedule; needs "
        "`If-Match` (the ETag of the GET) once the root has one; 201 for the first. Notices "
        "already issued keep the prices they stated."
    ),
    responses={
        200: {"headers": _ETAG},
        201: {"headers": _ETAG, "description": "The root's first schedule."},
        **problem_responses(401, 403, 404, 412, 422, 428),
    },
)
async def put_fee_schedule(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    body: FeeSchedulePut,
) -> JSONResponse:
    require_root(root_id, tree)
    actor = require_role(claims, (ADMIN, PPID_UTAMA), root_id, tree, _NOT_FEE_EDITOR)
    schedule = await fees.get_schedule(session, root_id, lock=True)
    created = schedule is None
    if schedule is not None:
        require_if_match(request, fees.schedule_etag(root_id, schedule.version))
    await fees.replace_schedule(session, root_id, schedule, body.items, actor)
    shown = await fees.schedule_public(session, root_id)
    return _schedule_response(shown, status_code=201 if created else 200)
