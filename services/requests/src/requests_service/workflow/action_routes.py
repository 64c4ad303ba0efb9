"""`POST /v1/requests/{request_id}/{action}`: the handling steps of the state machine
(DOMAIN.md 9; API.md Writing): verification, completeness, payment, delivery, closing,
withdrawal. The decisions (assign, dispose, extend, the notice) are `decision_routes.py`.

Each action locks the request, checks the caller's role over the handling unit (403),
an optional `If-Match` (412 when stale), the state (409 `request-invalid-transition`)
and the body's facts (422), and answers the official view with the new `ETag`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from ppid_kit.access import Actor, subject_id
from ppid_kit.db import SessionDep
from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError
from ppid_kit.tokens import Claims, CurrentClaims, OptionalClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep

from requests_service.core import repository
from requests_service.core.access import (
    HANDLER_ROLES,
    NOT_HANDLER,
    REQUEST_NOT_FOUND,
    covers,
    is_requester,
    require_official,
    secret_matches,
)
from requests_service.core.models import ActorType, InformationRequest
from requests_service.core.views import RequestView
from requests_service.workflow import service
from requests_service.workflow.deps import (
    HANDLERS,
    IF_MATCH,
    RESPONSES,
    RequestId,
    TrackingSecret,
    answer,
    if_match_when_given,
    simple_step,
    start,
)
from requests_service.workflow.rules import Action
from requests_service.workflow.schemas import (
    DeliveryBody,
    NoteBody,
    PaymentBody,
    ReasonBody,
    WithdrawBody,
)

router = APIRouter(tags=["requests"])


@router.post(
    "/v1/requests/{request_id}/verify",
    response_model=RequestView,
    summary="Verify a request's identity and completeness",
    description="`received` or `incomplete` → `verified`; identity scans are then discarded."
    + HANDLERS
    + IF_MATCH,
    responses=RESPONSES,
)
async def verify_request(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    body: NoteBody | None = None,
) -> JSONResponse:
    info, actor = await start(request, session, claims, tree, request_id, Action.VERIFY)
    store = getattr(request.app.state, "store", None)
    await service.verify(session, info, actor, body.note if body else None, store)
    return await answer(session, info)


@router.post(
    "/v1/requests/{request_id}/mark-incomplete",
    response_model=RequestView,
    summary="Ask the requester to complete a request",
    description="`received` → `incomplete`; the `reason` is shown to the requester."
    + HANDLERS
    + IF_MATCH,
    responses=RESPONSES,
)
async def mark_request_incomplete(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    body: ReasonBody,
) -> JSONResponse:
    action = Action.MARK_INCOMPLETE
    return await simple_step(request, session, claims, tree, request_id, action, body.reason)


@router.post(
    "/v1/requests/{request_id}/record-payment",
    response_model=RequestView,
    summary="Record the payment of the notice's fees",
    description=(
        "In `awaiting_payment`: `amount` equal to the notice's total and a `receipt_no` "
        "(the itemised receipt, Perki 1/2010 Pasal 28), or `waived` with a `note`. Sets "
        "`paid_at`; the state stays until delivery (409 when already paid)." + HANDLERS + IF_MATCH
    ),
    responses=RESPONSES,
)
async def record_request_payment(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    body: PaymentBody,
) -> JSONResponse:
    action = Action.RECORD_PAYMENT
    info, actor = await start(request, session, claims, tree, request_id, action)
    await service.record_payment(session, info, actor, body)
    return await answer(session, info)


@router.post(
    "/v1/requests/{request_id}/deliver",
    response_model=RequestView,
    summary="Record the handover of the information",
    description=(
        "`notice_sent` (granted, nothing due) or `awaiting_payment` once paid → `delivered`, "
        "with the `method`, the delivered files (`file_ids`; at least one for email, download "
        "or WhatsApp) and the `acknowledgement`." + HANDLERS + IF_MATCH
    ),
    responses=RESPONSES,
)
async def deliver_request(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    body: DeliveryBody,
) -> JSONResponse:
    info, actor = await start(request, session, claims, tree, request_id, Action.DELIVER)
    await service.deliver(session, info, actor, body)
    return await answer(session, info)


@router.post(
    "/v1/requests/{request_id}/close",
    response_model=RequestView,
    summary="Close a delivered request",
    description="`delivered` → `closed`." + HANDLERS + IF_MATCH,
    responses=RESPONSES,
)
async def close_request(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    body: NoteBody | None = None,
) -> JSONResponse:
    info, actor = await start(request, session, claims, tree, request_id, Action.CLOSE)
    await service.close(session, info, actor, body.note if body else None)
    return await answer(session, info)


def _withdrawer(
    claims: Claims | None, info: InformationRequest, tree: UnitTree, secret: str | None
) -> tuple[Actor | None, ActorType]:
    """The requester (account or tracking secret), or a handling official recording a
    written withdrawal; another official 403, anyone else 404."""
    if claims is not None and covers(claims, info.unit_id, tree, HANDLER_ROLES):
        return require_official(claims, info, tree), ActorType.OFFICIAL
    if is_requester(claims, info):
        assert claims is not None
        return Actor(subject_id(claims), "pemohon"), ActorType.REQUESTER
    if secret_matches(info, secret):
        return None, ActorType.ANONYMOUS
    if claims is not None and claims.typ == "official":
        raise ProblemError(FORBIDDEN, NOT_HANDLER)
    raise ProblemError(NOT_FOUND, REQUEST_NOT_FOUND)


@router.post(
    "/v1/requests/{request_id}/withdraw",
    response_model=RequestView,
    summary="Withdraw a request",
    description=(
        "Any state that is not final → `withdrawn`. By the requester's account, by whoever "
        "holds the `X-Tracking-Secret`, or by a handling official recording a written "
        "withdrawal." + IF_MATCH
    ),
    responses=RESPONSES,
)
async def withdraw_request(
    request: Request,
    session: SessionDep,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    request_id: RequestId,
    x_tracking_secret: TrackingSecret = None,
    body: WithdrawBody | None = None,
) -> JSONResponse:
    info = await repository.get_request(session, request_id, for_update=True)
    actor, actor_type = _withdrawer(claims, info, tree, x_tracking_secret)
    if_match_when_given(request, info)
    await service.withdraw(session, info, actor, actor_type, body.reason if body else None)
    return await answer(session, info, official=actor_type is ActorType.OFFICIAL)
