"""`GET /v1/requests/{request_id}/identity`: the requester's identity, officials only, audited.

Mounted through `files.routes.router` (the files package owns the identity routes).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from ppid_kit.audit import write_audit
from ppid_kit.db import SessionDep
from ppid_kit.problems import NOT_FOUND, ProblemError, Text, problem_responses
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep

from requests_service.core.access import HANDLER_ROLES, covers, viewer_of
from requests_service.core.repository import get_request, identity
from requests_service.identity.views import IdentityScope, RequesterIdentityView, identity_view
from requests_service.settings import RequestsSettings

router = APIRouter(tags=["requests"])

RequestId = Annotated[uuid.UUID, Path(description="The request's id.")]
NO_IDENTITY = Text("Identitas pemohon tidak tercatat.", "No requester identity is recorded.")


@router.get(
    "/v1/requests/{request_id}/identity",
    response_model=RequesterIdentityView,
    summary="Read the requester's identity (officials of the unit; audited)",
    description=(
        "Handlers of the handling unit (PPID Utama, PPID Pelaksana, petugas layanan) get "
        "the whole identity with the NIK decrypted (`scope: full`); other reader officials "
        "of the unit (atasan PPID, auditor, admin) get it with the NIK masked and without "
        "address, phone and email (`scope: masked`). Everyone else gets 404. Every read is "
        "written to the audit log (`request.identity.read`); `Cache-Control: no-store`."
    ),
    responses={
        200: {
            "headers": {
                "Cache-Control": {"description": "`no-store`.", "schema": {"type": "string"}}
            }
        },
        **problem_responses(401, 404, 422),
    },
)
async def get_request_identity(
    request: Request,
    request_id: RequestId,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    session: SessionDep,
) -> JSONResponse:
    owner = await get_request(session, request_id)
    viewer = viewer_of(claims, owner, tree, None)
    if not viewer.is_official or viewer.actor is None:
        raise ProblemError(NOT_FOUND, NO_IDENTITY)  # officials of the unit only
    found = await identity(session, owner.id)
    if found is None:
        raise ProblemError(NOT_FOUND, NO_IDENTITY)
    handles = covers(claims, owner.unit_id, tree, HANDLER_ROLES)
    scope: IdentityScope = "full" if handles else "masked"
    settings: RequestsSettings = request.app.state.settings
    view = identity_view(owner, found, settings, scope)
    await write_audit(
        session,
        action="request.identity.read",
        object_type="information_request",
        object_id=owner.id,
        actor_id=viewer.actor.user_id,
        actor_type=f"official:{viewer.actor.role}",
        unit_id=owner.unit_id,
        details={"scope": scope},
    )
    return JSONResponse(view.model_dump(mode="json"), headers={"Cache-Control": "no-store"})
