"""`POST /v1/requests/{request_id}/{action}`: the decisions of the state machine, which are
the PPID's (DOMAIN.md 2.3, 9): stop an incomplete request, take it into process, hand it
to another unit, extend the notice deadline, issue the written notice.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from ppid_kit.db import SessionDep
from ppid_kit.problems import problem_responses
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep

from requests_service.core.views import RequestView
from requests_service.workflow import notices, service
from requests_service.workflow.consequence import RegistryClient
from requests_service.workflow.deps import (
    DECIDERS,
    IF_MATCH,
    RESPONSES,
    RequestId,
    answer,
    simple_step,
    start,
)
from requests_service.workflow.rules import Action
from requests_service.workflow.schemas import (
    DisposeBody,
    ExtendBody,
    NoteBody,
    NoticeBody,
    ReasonBody,
)

router = APIRouter(tags=["requests"])


@router.post(
    "/v1/requests/{request_id}/reject-incomplete",
    response_model=RequestView,
    summary="Stop an incomplete request",
    description="`incomplete` → `rejected_incomplete` (requirements never met), with a `reason`."
    + DECIDERS
    + IF_MATCH,
    responses=RESPONSES,
)
async def reject_incomplete_request(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    body: ReasonBody,
) -> JSONResponse:
    action = Action.REJECT_INCOMPLETE
    return await simple_step(request, session, claims, tree, request_id, action, body.reason)


@router.post(
    "/v1/requests/{request_id}/assign",
    response_model=RequestView,
    summary="Take a request into process",
    description="`verified` or `forwarded_internal` → `in_process`." + DECIDERS + IF_MATCH,
    responses=RESPONSES,
)
async def assign_request(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    body: NoteBody | None = None,
) -> JSONResponse:
    note = body.note if body else None
    return await simple_step(request, session, claims, tree, request_id, Action.ASSIGN, note)


@router.post(
    "/v1/requests/{request_id}/dispose",
    response_model=RequestView,
    summary="Hand a request to another unit (internal disposition)",
    description=(
        "`verified` or `in_process` → `forwarded_internal`: `unit_id` (another active unit of "
        "the same badan publik, 422 otherwise) handles it from now on; the deadlines do not "
        "change (the legal clock runs on, DOMAIN.md 2.2). The PPID Utama, or the PPID "
        "Pelaksana over the handling unit." + IF_MATCH
    ),
    responses=RESPONSES,
)
async def dispose_request(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    body: DisposeBody,
) -> JSONResponse:
    info, actor = await start(request, session, claims, tree, request_id, Action.DISPOSE)
    await service.dispose(session, info, actor, body, tree)
    return await answer(session, info)


@router.post(
    "/v1/requests/{request_id}/extend",
    response_model=RequestView,
    summary="Extend the notice deadline by 7 working days",
    description=(
        "`verified` or `in_process` → `extended`, with a written `reason` (UU Pasal 22(8)): "
        "once (409 the second time), and only before the 10-working-day deadline has ended "
        "(409 after). The new deadline is 7 working days after D10 on the root's calendar."
        + DECIDERS
        + IF_MATCH
    ),
    responses=RESPONSES,
)
async def extend_request(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    body: ExtendBody,
) -> JSONResponse:
    info, actor = await start(request, session, claims, tree, request_id, Action.EXTEND)
    await service.extend(session, info, actor, body.reason)
    return await answer(session, info)


@router.post(
    "/v1/requests/{request_id}/issue-notice",
    response_model=RequestView,
    summary="Issue the written notice (and a refusal decree)",
    description=(
        "`verified`, `in_process` or `extended` → `notice_sent` with the outcome and the "
        "content of UU Pasal 22(7). `refused` needs a Pasal 17 `ground` and a "
        "`consequence_test_id` the registry knows as a DIK entry in force of this badan "
        "publik (422 otherwise; 503 when the registry is unreachable) and produces the "
        "refusal decree. Refused, not held or not documented: the request is then closed; "
        "granted with fees: `awaiting_payment`." + DECIDERS + IF_MATCH
    ),
    responses={**RESPONSES, **problem_responses(502, 503)},
)
async def issue_request_notice(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    body: NoticeBody,
) -> JSONResponse:
    action = Action.ISSUE_NOTICE
    info, actor = await start(request, session, claims, tree, request_id, action)
    registry = RegistryClient.of(request.app.state.http, request.app.state.settings)
    context = notices.Context(tree, registry, request.headers.get("authorization"))
    await notices.issue_notice(session, info, actor, body, context)
    return await answer(session, info)
