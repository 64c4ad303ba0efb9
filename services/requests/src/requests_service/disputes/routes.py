"""The disputes at the Komisi Informasi of objections (DOMAIN.md 10.8), and the case bundle.

Mounted before the objections router: `/v1/objections/disputes` and the `…/dispute`
paths must not be taken by `/v1/objections/{objection_id}`. Filing is the requester's
(account or the objection's `X-Tracking-Secret`) or recorded by a handler official of
the unit; the stages, the decision and the compliance are recorded by handler officials
with `If-Match` (the dispute's ETag). Reading is for the requester and reader officials.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit import paging
from ppid_kit.access import Actor
from ppid_kit.db import SessionDep
from ppid_kit.etag import require_if_match
from ppid_kit.idempotency import IdempotencyKeyHeader, Outcome, respond_once
from ppid_kit.problems import problem_responses, request_language
from ppid_kit.tokens import Claims, CurrentClaims, OptionalClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.core.access import HANDLER_ROLES
from requests_service.core.models import InformationRequest
from requests_service.core.views import not_modified_with, page_response
from requests_service.disputes import bundle, dip, service
from requests_service.disputes.models import Dispute, DisputeOutcome, DisputeStage
from requests_service.disputes.schemas import (
    ComplianceBody,
    DecisionBody,
    DisputeFiling,
    DisputeListItem,
    DisputePage,
    DisputeView,
    StageBody,
)
from requests_service.intake.deps import SettingsDep
from requests_service.objections.access import (
    NOT_HANDLER,
    filer_or_handler,
    require_objection_role,
    viewer_of,
)
from requests_service.objections.models import Objection
from requests_service.objections.repository import get_objection
from requests_service.tracking.routes import readable_units

router = APIRouter(tags=["disputes"])
router.include_router(bundle.router)

ObjectionId = Annotated[uuid.UUID, Path(description="The objection's id.")]
TrackingSecret = Annotated[
    str | None,
    Header(
        alias="X-Tracking-Secret",
        min_length=1,
        max_length=128,
        description="The objection's tracking secret (the requester without an account).",
    ),
]
PRIVATE = "private, no-cache"
_ETAG: dict[str, Any] = {"ETag": {"schema": {"type": "string"}}}
_UPDATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": _ETAG},
    **problem_responses(401, 403, 404, 409, 412, 422, 428),
}
_HANDLERS = (
    " For PPID Utama, PPID Pelaksana or petugas layanan over the objection's unit; needs "
    "`If-Match` (the dispute's ETag: 428 without, 412 when stale)."
)
NEWEST_FIRST = paging.Keyset(Dispute, "filed_on", "id", descending=True)


def _answer(view: DisputeView, dispute: Dispute, status_code: int = 200) -> JSONResponse:
    headers = {"ETag": service.dispute_etag(dispute), "Cache-Control": "no-store"}
    return JSONResponse(view.model_dump(mode="json"), status_code=status_code, headers=headers)


@router.post(
    "/v1/objections/{objection_id}/dispute",
    status_code=201,
    response_model=DisputeView,
    summary="Record a dispute filed at the Komisi Informasi",
    description=(
        "When the objection is decided (either way) or its order executed, or when no "
        "decision came by the end of D30 (UU Pasal 36(2), 37(1)); 409 otherwise, and 409 when "
        "a dispute exists. `filing_due` is 14 WD after the written response (UU Pasal 37(2)); "
        "a later filing is recorded with `filed_late` and a warning, never refused. The "
        "objection moves to `escalated_to_ki`. By the requester's account, the holder of the "
        "objection's `X-Tracking-Secret`, or a handler official of the unit recording it "
        "(another official 403, anyone else 404). Takes an `Idempotency-Key`."
    ),
    responses={201: {"headers": _ETAG}, **problem_responses(401, 403, 404, 409, 422)},
)
async def file_dispute(
    request: Request,
    session: SessionDep,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    objection_id: ObjectionId,
    body: DisputeFiling,
    x_tracking_secret: TrackingSecret = None,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    objection = await get_objection(session, objection_id, for_update=True)
    actor, actor_type = filer_or_handler(claims, objection, tree, x_tracking_secret)
    lang = request_language(request)

    async def produce() -> Outcome:
        now = dt.datetime.now(dt.UTC)
        dispute, warnings = await service.file_dispute(
            session, objection, body, actor=actor, actor_type=actor_type, now=now
        )
        shown = [warning.get(lang) for warning in warnings]
        view = await service.dispute_view(session, dispute, objection, shown)
        headers = {
            "ETag": service.dispute_etag(dispute),
            "Location": f"/v1/objections/{objection.id}/dispute",
        }
        return Outcome(201, view.model_dump(mode="json"), headers)

    who = claims.sub if claims is not None else "secret"
    scope = f"requests:disputes:file:{objection_id}:{who}"
    return await respond_once(request, session, scope=scope, key=idempotency_key, produce=produce)


@router.get(
    "/v1/objections/disputes",
    response_model=DisputePage,
    summary="List disputes (officials)",
    description=(
        "The disputes of the units the caller's reader roles cover, most recently filed "
        "first; `unit_id` includes its sub-units, `year` is the year of filing."
    ),
    responses={**paging.LIST_RESPONSES, **problem_responses(401, 403, 422)},
)
async def list_disputes(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    page: paging.PagingDep,
    stage: Annotated[DisputeStage | None, Query(description="Only this stage.")] = None,
    outcome: Annotated[DisputeOutcome | None, Query(description="Only this outcome.")] = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="This unit and below.")] = None,
    year: Annotated[int | None, Query(ge=2008, le=2100, description="Filed in.")] = None,
) -> Response:
    units, _role = readable_units(claims, tree, unit_id)
    stmt = sa.select(Dispute).where(col(Dispute.unit_id).in_(units))
    if stage is not None:
        stmt = stmt.where(col(Dispute.stage) == stage)
    if outcome is not None:
        stmt = stmt.where(col(Dispute.outcome) == outcome)
    if year is not None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        stmt = stmt.where(col(Dispute.filed_on).between(first, last))
    found = await paging.keyset_page(session, stmt, NEWEST_FIRST, page)
    items = [DisputeListItem.model_validate(d, from_attributes=True) for d in found.items]
    return page_response(request, items, found.next_cursor, cache_control=PRIVATE)


@router.get(
    "/v1/objections/{objection_id}/dispute",
    response_model=DisputeView,
    summary="Get an objection's dispute",
    description=(
        "The dispute with its legal clock and history. For reader officials of the "
        "objection's unit, the requester's account, or the holder of the objection's "
        "`X-Tracking-Secret`; 404 to anyone else and while no dispute exists. The `ETag` is "
        "the `If-Match` of the stage updates."
    ),
    responses={
        200: {"headers": _ETAG},
        304: {"description": "Not modified."},
        **problem_responses(401, 404, 422),
    },
)
async def get_dispute(
    request: Request,
    session: SessionDep,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    objection_id: ObjectionId,
    x_tracking_secret: TrackingSecret = None,
) -> Response:
    objection = await get_objection(session, objection_id)
    viewer_of(claims, objection, tree, x_tracking_secret)
    dispute = await service.get_dispute(session, objection_id)
    etag = service.dispute_etag(dispute)
    headers = {"ETag": etag, "Cache-Control": PRIVATE}
    cached = not_modified_with(request, headers)
    if cached is not None:
        return cached
    view = await service.dispute_view(session, dispute, objection)
    return JSONResponse(view.model_dump(mode="json"), headers=headers)


async def _start(
    request: Request,
    session: AsyncSession,
    claims: Claims,
    tree: UnitTree,
    objection_id: uuid.UUID,
) -> tuple[Objection, Dispute, Actor]:
    """The objection and its dispute locked, a handler official, `If-Match` checked."""
    objection = await get_objection(session, objection_id, for_update=True)
    actor = require_objection_role(claims, objection, tree, HANDLER_ROLES, NOT_HANDLER)
    dispute = await service.get_dispute(session, objection_id, for_update=True)
    require_if_match(request, service.dispute_etag(dispute))
    return objection, dispute, actor


async def _updated(session: AsyncSession, dispute: Dispute, objection: Objection) -> JSONResponse:
    await session.refresh(dispute)
    return _answer(await service.dispute_view(session, dispute, objection), dispute)


@router.post(
    "/v1/objections/{objection_id}/dispute/stages",
    response_model=DisputeView,
    summary="Record a stage of a dispute",
    description=(
        "A mediation or adjudication hearing at the KI (the first one starts the KI's process: "
        "`ki_finish_due` becomes 100 WD from it, UU Pasal 38(2)), a court stage after the KI's "
        "decision (PTUN/PN, UU Pasal 47, with `court_stage` and `court_case_no`), cassation "
        "after a court's decision (UU Pasal 50), or `closed`." + _HANDLERS
    ),
    responses=_UPDATE_RESPONSES,
)
async def record_dispute_stage(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    objection_id: ObjectionId,
    body: StageBody,
) -> JSONResponse:
    objection, dispute, actor = await _start(request, session, claims, tree, objection_id)
    now = dt.datetime.now(dt.UTC)
    await service.record_stage(session, dispute, objection, body, actor=actor, now=now)
    return await _updated(session, dispute, objection)


@router.post(
    "/v1/objections/{objection_id}/dispute/decision",
    response_model=DisputeView,
    summary="Record the decision of the KI or of a court",
    description=(
        "Before the KI's decision: the KI's (stage `decided`); in a court stage: that court's "
        "(`cassation_due` = 14 days later, UU Pasal 50). An outcome `information_opened` "
        "creates a draft DIP entry of the unit in the registry with the caller's token (UU "
        "Pasal 11(2)), its id in `dip_entry_id`; when the registry is down or refuses, 503 "
        "with `Retry-After` and nothing is recorded." + _HANDLERS
    ),
    responses={**_UPDATE_RESPONSES, **problem_responses(503)},
)
async def record_dispute_decision(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    settings: SettingsDep,
    objection_id: ObjectionId,
    body: DecisionBody,
) -> JSONResponse:
    objection, dispute, actor = await _start(request, session, claims, tree, objection_id)
    now = dt.datetime.now(dt.UTC)
    stage = service.check_decision(dispute, body, now)
    entry_id = None
    if body.outcome is DisputeOutcome.INFORMATION_OPENED and dispute.dip_entry_id is None:
        info = None
        if objection.request_id is not None:
            info = await session.get(InformationRequest, objection.request_id)
        entry_id = await dip.create_dip_task(
            request.app.state.http,
            settings,
            dispute=dispute,
            payload=dip.entry_body(dispute, objection, info, body),
            authorization=request.headers.get("authorization"),
        )
    await service.record_decision(
        session, dispute, objection, body, stage=stage, actor=actor, dip_entry_id=entry_id
    )
    return await _updated(session, dispute, objection)


@router.post(
    "/v1/objections/{objection_id}/dispute/compliance",
    response_model=DisputeView,
    summary="Record that the body complied with the decision",
    description="Once per decision in force (409 without a decision or when recorded)." + _HANDLERS,
    responses=_UPDATE_RESPONSES,
)
async def record_dispute_compliance(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    objection_id: ObjectionId,
    body: ComplianceBody,
) -> JSONResponse:
    objection, dispute, actor = await _start(request, session, claims, tree, objection_id)
    now = dt.datetime.now(dt.UTC)
    await service.record_compliance(session, dispute, objection, body, actor=actor, now=now)
    return await _updated(session, dispute, objection)
