"""What the action routes share: the path and header parameters, the documented
responses, and the steps every action takes before and after its change."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Header, Path, Request
from fastapi.responses import JSONResponse
from ppid_kit.access import Actor
from ppid_kit.etag import require_if_match
from ppid_kit.problems import problem_responses
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core import repository
from requests_service.core.access import DECIDER_ROLES, NOT_HANDLER, require_official
from requests_service.core.models import InformationRequest
from requests_service.core.views import request_etag, request_view
from requests_service.workflow import service
from requests_service.workflow.rules import NOT_DECIDER, TRANSITIONS, Action

RequestId = Annotated[uuid.UUID, Path(description="The request's id.")]
TrackingSecret = Annotated[
    str | None,
    Header(
        alias="X-Tracking-Secret",
        description="The tracking secret given at submission (the requester without an account).",
    ),
]
ETAG: dict[str, Any] = {
    "ETag": {"schema": {"type": "string"}, "description": "The request's new ETag."}
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": ETAG},
    **problem_responses(401, 403, 404, 409, 412, 422),
}
IF_MATCH = " Optional `If-Match`: when sent, it must be the request's current ETag (412)."
HANDLERS = " PPID Utama, PPID Pelaksana or petugas layanan over the handling unit."
DECIDERS = " PPID Utama or the PPID Pelaksana over the handling unit."


def if_match_when_given(request: Request, info: InformationRequest) -> None:
    if "if-match" in request.headers:
        require_if_match(request, request_etag(info))


async def start(
    request: Request,
    session: AsyncSession,
    claims: Claims,
    tree: UnitTree,
    request_id: uuid.UUID,
    action: Action,
) -> tuple[InformationRequest, Actor]:
    """The request locked, the actor allowed to do `action` on it, `If-Match` checked."""
    info = await repository.get_request(session, request_id, for_update=True)
    roles = TRANSITIONS[action].roles
    refused = NOT_DECIDER if roles == DECIDER_ROLES else NOT_HANDLER
    actor = require_official(claims, info, tree, roles, refused)
    if_match_when_given(request, info)
    return info, actor


async def answer(
    session: AsyncSession, info: InformationRequest, *, official: bool = True
) -> JSONResponse:
    await session.refresh(info)  # the database's updated_at
    view = await request_view(session, info, official=official)
    headers = {"ETag": request_etag(info), "Cache-Control": "no-store"}
    return JSONResponse(view.model_dump(mode="json"), headers=headers)


async def simple_step(
    request: Request,
    session: AsyncSession,
    claims: Claims,
    tree: UnitTree,
    request_id: uuid.UUID,
    action: Action,
    note: str | None,
) -> JSONResponse:
    """The whole of a state change with only a note (mark-incomplete, reject-incomplete,
    assign): `start`, `service.simple`, `answer`."""
    info, actor = await start(request, session, claims, tree, request_id, action)
    await service.simple(session, info, action, actor, note)
    return await answer(session, info)
