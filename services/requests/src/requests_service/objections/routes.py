"""The HTTP routes of the objections package (DOMAIN.md 10; docs/requests-contract.md, issue 6).

Filing (`POST /v1/objections`), reading (one, the filer's list, the officials' list, the
form as PDF, the identity for officials), the lifecycle actions of DOMAIN.md 10.7 and
the Atasan's response. Fixed paths (`/mine`) come before `/{objection_id}`; ids are
typed as UUIDs. An objection nobody may see is a 404 (DOMAIN.md 17).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit import idempotency, paging
from ppid_kit.access import Actor, subject_id
from ppid_kit.audit import write_audit
from ppid_kit.db import SessionDep
from ppid_kit.etag import require_if_match
from ppid_kit.problems import (
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    ProblemError,
    Text,
    problem_responses,
    request_language,
)
from ppid_kit.tokens import Claims, CurrentClaims, OptionalClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core import repository as requests_repository
from requests_service.core.access import HANDLER_ROLES, covers
from requests_service.core.views import not_modified_with, page_response
from requests_service.intake.deps import SettingsDep, TrackingSecretHeader
from requests_service.intake.routes import (
    Created,
    created_with_secret,
    respond_once_with_secret,
)
from requests_service.objections import documents, service
from requests_service.objections.access import (
    ATASAN_ROLES,
    FORWARD_ROLES,
    NOT_ATASAN,
    NOT_HANDLER,
    filer_for_request,
    filer_or_handler,
    filer_without_request,
    require_objection_role,
    viewer_of,
)
from requests_service.objections.files import router as files_router
from requests_service.objections.listing import (
    NEWEST_FIRST,
    ObjectionFilter,
    ObjectionListItem,
    ObjectionListPage,
    readable_units,
    select_objections,
)
from requests_service.objections.models import Objection, ObjectionState
from requests_service.objections.repository import get_objection, objector
from requests_service.objections.schemas import (
    DecideBody,
    ExecuteBody,
    FiledObjection,
    NoteBody,
    ObjectionFiling,
    ObjectorView,
    ReactionBody,
)
from requests_service.objections.views import (
    ObjectionResponseView,
    ObjectionView,
    objection_etag,
    objection_view,
    response_of,
)
from requests_service.pdf import pdf_response

router = APIRouter(tags=["objections"])

ObjectionId = Annotated[uuid.UUID, Path(description="The objection's id.")]
PRIVATE = "private, no-cache"
VARY = "Authorization, X-Tracking-Secret"
_HEADER: dict[str, Any] = {"schema": {"type": "string"}}
ETAG: dict[str, Any] = {"ETag": {**_HEADER, "description": "The objection's new ETag."}}
ACTION_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": ETAG},
    **problem_responses(401, 403, 404, 409, 412, 422),
}
IF_MATCH = " Optional `If-Match`: when sent, it must be the objection's current ETag (412)."
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
}
_NOT_REQUESTER = Text(
    "Daftar ini hanya untuk akun pemohon.", "This list is for requester accounts only."
)
_NO_IDENTITY = Text("Identitas tidak tercatat.", "No identity is recorded.")


def receipt_url(objection_id: uuid.UUID | str) -> str:
    return f"/v1/objections/{objection_id}/receipt.pdf"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@router.post(
    "/v1/objections",
    status_code=201,
    response_model=FiledObjection,
    summary="File an objection (keberatan) to the Atasan PPID",
    description=(
        "The objection form (DOMAIN.md 10.3; UU Pasal 35-36). On a request: by its "
        "requester's account, the holder of its tracking secret (`X-Tracking-Secret`, also "
        "through an API client), or a handler official of its unit entering a paper form "
        "(`channel`, `received_at`); reason `b` alone needs no request (`unit_id`) and may "
        "be filed by anyone. Each ground must be open on the request (422 naming it); a "
        "withdrawn request 409. A filing after 30 working days from the discovery of the "
        "reason is recorded with the warning `filing-window-passed` (UU Pasal 36(1)). The "
        "answer carries the number, D30 of the response (UU Pasal 36(2)) and the "
        "`tracking_secret`, shown once (again to a retry with the same `Idempotency-Key`)."
    ),
    responses={
        201: created_with_secret("The objection."),
        **problem_responses(401, 403, 404, 409, 422),
    },
)
async def file_objection(
    request: Request,
    session: SessionDep,
    tree: UnitTreeDep,
    settings: SettingsDep,
    claims: OptionalClaims,
    body: ObjectionFiling,
    tracking_secret: TrackingSecretHeader = None,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:
    now = _now()
    lang = request_language(request)
    info = None
    if body.request_id is not None:
        info = await requests_repository.get_request(session, body.request_id, for_update=True)
        filer = filer_for_request(claims, info, tree, tracking_secret)
    else:
        filer = filer_without_request(claims, body.unit_id, tree)

    async def create() -> Created:
        made = await service.file_objection(
            session, tree, body, filer, settings, now=now, request=info
        )
        view = await objection_view(session, made.objection)
        shown = {
            **view.model_dump(mode="json"),
            "receipt_url": receipt_url(made.objection.id),
            "warnings": [warning.shown(lang) for warning in made.warnings],
        }
        location = f"/v1/objections/{made.objection.id}"
        return Created(shown, made.tracking_secret, location, objection_etag(made.objection))

    return await respond_once_with_secret(
        request,
        session,
        scope="objections.file",
        claims=claims,
        key=idempotency_key,
        create=create,
        secret_of=lambda made_id: service.tracking_secret(settings, made_id),
    )


def _list_page(request: Request, items: list[ObjectionListItem], cursor: str | None) -> Response:
    return page_response(request, items, cursor, cache_control=PRIVATE, headers={"Vary": VARY})


@router.get(
    "/v1/objections/mine",
    response_model=ObjectionListPage,
    summary="List my objections (requester account)",
    description="The objections filed with the caller's requester account, newest first.",
    responses={**paging.LIST_RESPONSES, **problem_responses(401, 403)},
)
async def list_my_objections(
    request: Request, session: SessionDep, claims: CurrentClaims, page: paging.PagingDep
) -> Response:
    account = subject_id(claims)
    if claims.typ != "requester" or account is None:
        raise ProblemError(FORBIDDEN, _NOT_REQUESTER)
    now = _now()
    stmt = select_objections(ObjectionFilter(now=now, requester_account_id=account))
    found = await paging.keyset_page(session, stmt, NEWEST_FIRST, page)
    items = [ObjectionListItem.of(o, now) for o in found.items]
    return _list_page(request, items, found.next_cursor)


@router.get(
    "/v1/objections",
    response_model=ObjectionListPage,
    summary="List objections (officials)",
    description=(
        "The objections of the units the caller's reader roles cover (atasan PPID "
        "included), newest received first. `unit_id` includes its sub-units; `overdue=true`: "
        "no written response by D30 (UU Pasal 36(2)); `year`: of the objection number."
    ),
    responses={**paging.LIST_RESPONSES, **problem_responses(401, 403, 422)},
)
async def list_objections(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    page: paging.PagingDep,
    state: Annotated[list[ObjectionState] | None, Query(description="Any of these states.")] = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="This unit and below.")] = None,
    overdue: Annotated[bool | None, Query(description="Response overdue (or not).")] = None,
    request_id: Annotated[uuid.UUID | None, Query(description="Of this request.")] = None,
    year: Annotated[int | None, Query(ge=2008, le=9999, description="Numbering year.")] = None,
) -> Response:
    now = _now()
    filters = ObjectionFilter(
        now=now,
        unit_ids=readable_units(claims, tree, unit_id),
        states=state,
        overdue=overdue,
        request_id=request_id,
        year=year,
    )
    found = await paging.keyset_page(session, select_objections(filters), NEWEST_FIRST, page)
    items = [ObjectionListItem.of(o, now) for o in found.items]
    return _list_page(request, items, found.next_cursor)


@router.get(
    "/v1/objections/{objection_id}",
    response_model=ObjectionView,
    summary="Get an objection",
    description=(
        "For reader officials of the unit (the atasan PPID included), the filer's account, "
        "or the holder of the objection's tracking secret (`X-Tracking-Secret`); 404 to "
        "anyone else. No personal data; the `ETag` is the `If-Match` of its actions."
    ),
    responses={**paging.ITEM_RESPONSES, **problem_responses(401, 404, 422)},
)
async def get_objection_view(
    request: Request,
    session: SessionDep,
    tree: UnitTreeDep,
    claims: OptionalClaims,
    objection_id: ObjectionId,
    tracking_secret: TrackingSecretHeader = None,
) -> Response:
    found = await get_objection(session, objection_id)
    viewer_of(claims, found, tree, tracking_secret)
    headers = {"ETag": objection_etag(found), "Cache-Control": PRIVATE, "Vary": VARY}
    cached = not_modified_with(request, headers)
    if cached is not None:
        return cached
    view = await objection_view(session, found)
    return JSONResponse(view.model_dump(mode="json"), headers=headers)


@router.get(
    "/v1/objections/{objection_id}/receipt.pdf",
    response_class=Response,
    summary="Get the numbered objection form (the requester's copy) as PDF",
    description=(
        "DOMAIN.md 10.2/10.3: the objection and request numbers, purpose, grounds, case "
        "position and the response deadline; the objector's and agent's names, no address, "
        "phone or email. Same readers as the objection."
    ),
    responses={**PDF, **problem_responses(401, 404, 422)},
)
async def get_objection_receipt(
    session: SessionDep,
    tree: UnitTreeDep,
    claims: OptionalClaims,
    objection_id: ObjectionId,
    tracking_secret: TrackingSecretHeader = None,
) -> Response:
    found = await get_objection(session, objection_id)
    viewer_of(claims, found, tree, tracking_secret)
    pdf = await documents.receipt_pdf(session, found, tree)
    return pdf_response(pdf, f"keberatan-{found.objection_number.replace('/', '-')}.pdf")


@router.get(
    "/v1/objections/{objection_id}/response",
    response_model=ObjectionResponseView,
    summary="Get the Atasan PPID's response (data)",
    description=(
        "DOMAIN.md 10.6: number, date, decision with reasons, order and its due date, the KI "
        "deadline (UU Pasal 37(2)). Same readers as the objection; 409 before the decision."
    ),
    responses={**problem_responses(401, 404, 409, 422)},
)
async def get_objection_response(
    session: SessionDep,
    tree: UnitTreeDep,
    claims: OptionalClaims,
    objection_id: ObjectionId,
    tracking_secret: TrackingSecretHeader = None,
) -> Response:
    found = await get_objection(session, objection_id)
    viewer_of(claims, found, tree, tracking_secret)
    response = response_of(found)
    if response is None:
        raise ProblemError(CONFLICT, documents.NOT_DECIDED)
    headers = {"ETag": objection_etag(found), "Cache-Control": PRIVATE, "Vary": VARY}
    return JSONResponse(response.model_dump(mode="json"), headers=headers)


@router.get(
    "/v1/objections/{objection_id}/response.pdf",
    response_class=Response,
    summary="Get the Atasan PPID's response letter as PDF",
    description=(
        "Tanggapan atas Keberatan (DOMAIN.md 10.6). Same readers as the objection; 409 "
        "before the decision."
    ),
    responses={**PDF, **problem_responses(401, 404, 409, 422)},
)
async def get_objection_response_pdf(
    session: SessionDep,
    tree: UnitTreeDep,
    claims: OptionalClaims,
    objection_id: ObjectionId,
    tracking_secret: TrackingSecretHeader = None,
) -> Response:
    found = await get_objection(session, objection_id)
    viewer_of(claims, found, tree, tracking_secret)
    pdf = await documents.response_pdf(session, found, tree)
    number = (found.response_number or found.objection_number).replace("/", "-")
    return pdf_response(pdf, f"tanggapan-keberatan-{number}.pdf")


def _mask(value: str | None) -> str | None:
    return None if value is None else "***"


@router.get(
    "/v1/objections/{objection_id}/identity",
    response_model=ObjectorView,
    summary="Read the objector's identity (officials of the unit; audited)",
    description=(
        "Handlers of the unit get the whole identity (`scope: full`); the atasan PPID, "
        "auditor and admin of the unit get the names only (`scope: masked`: address, phone "
        "and email null). Everyone else 404. Audited `objection.identity.read`."
    ),
    responses={**problem_responses(401, 404, 422)},
)
async def get_objector_identity(
    session: SessionDep, claims: CurrentClaims, tree: UnitTreeDep, objection_id: ObjectionId
) -> Response:
    found = await get_objection(session, objection_id)
    viewer = viewer_of(claims, found, tree, None)
    if not viewer.is_official or viewer.actor is None:
        raise ProblemError(NOT_FOUND, _NO_IDENTITY)
    person = await objector(session, found.id)
    if person is None:
        raise ProblemError(NOT_FOUND, _NO_IDENTITY)
    full = covers(claims, found.unit_id, tree, HANDLER_ROLES)
    view = ObjectorView(
        objection_id=found.id,
        scope="full" if full else "masked",
        name=person.name,
        address=person.address if full else None,
        occupation=person.occupation,
        phone=person.phone if full else None,
        email=person.email if full else None,
        agent_name=person.agent_name,
        agent_address=person.agent_address if full else None,
        agent_occupation=person.agent_occupation,
        agent_phone=person.agent_phone if full else None,
    )
    await write_audit(
        session,
        action="objection.identity.read",
        object_type="objection",
        object_id=found.id,
        actor_id=viewer.actor.user_id,
        actor_type=f"official:{viewer.actor.role}",
        unit_id=found.unit_id,
        details={"scope": view.scope},
    )
    return JSONResponse(view.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


def _if_match(request: Request, objection: Objection) -> None:
    if "if-match" in request.headers:
        require_if_match(request, objection_etag(objection))


async def _answer(session: AsyncSession, objection: Objection) -> JSONResponse:
    await session.refresh(objection)  # the database's updated_at
    view = await objection_view(session, objection)
    headers = {"ETag": objection_etag(objection), "Cache-Control": "no-store"}
    return JSONResponse(view.model_dump(mode="json"), headers=headers)


async def _official_start(
    request: Request,
    session: AsyncSession,
    claims: Claims,
    tree: UnitTree,
    objection_id: uuid.UUID,
    roles: tuple[str, ...],
    refused: Text,
) -> tuple[Objection, Actor]:
    """The objection locked, the actor allowed, `If-Match` checked: before any change."""
    found = await get_objection(session, objection_id, for_update=True)
    actor = require_objection_role(claims, found, tree, roles, refused)
    _if_match(request, found)
    return found, actor


@router.post(
    "/v1/objections/{objection_id}/forward",
    response_model=ObjectionView,
    summary="Forward an objection to the Atasan PPID",
    description="`filed` → `with_atasan`. Handlers of the unit or the atasan PPID." + IF_MATCH,
    responses=ACTION_RESPONSES,
)
async def forward_objection(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    objection_id: ObjectionId,
    body: NoteBody | None = None,
) -> Response:
    found, actor = await _official_start(
        request, session, claims, tree, objection_id, FORWARD_ROLES, NOT_HANDLER
    )
    await service.forward(session, found, actor, body.note if body else None, _now())
    return await _answer(session, found)


@router.post(
    "/v1/objections/{objection_id}/consultation",
    response_model=ObjectionView,
    summary="Settle an objection by consultation (musyawarah)",
    description=(
        "`with_atasan` → `musyawarah`, only when every ground is b-g (UU Pasal 35(2); 409 "
        "otherwise). The atasan PPID of the unit." + IF_MATCH
    ),
    responses=ACTION_RESPONSES,
)
async def start_consultation(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    objection_id: ObjectionId,
    body: NoteBody | None = None,
) -> Response:
    found, actor = await _official_start(
        request, session, claims, tree, objection_id, ATASAN_ROLES, NOT_ATASAN
    )
    await service.consultation(session, found, actor, body.note if body else None, _now())
    return await _answer(session, found)


@router.post(
    "/v1/objections/{objection_id}/decide",
    response_model=ObjectionView,
    summary="Record the Atasan PPID's written response",
    description=(
        "From `with_atasan` or `musyawarah`: `upheld_requester` (with `order_text` and "
        "`order_due` or `order_working_days`) → `decided_upheld_requester`; `upheld_ppid` "
        "(with `decision_reasons`, UU Pasal 36(3)) → `decided_upheld_ppid`; "
        "`settled_by_consultation` (from `musyawarah` only) → `settled`. Numbers the "
        "response, dates it today in the root's zone and sets the KI deadline (14 WD, UU "
        "Pasal 37(2)). The atasan PPID of the unit." + IF_MATCH
    ),
    responses=ACTION_RESPONSES,
)
async def decide_objection(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    objection_id: ObjectionId,
    body: DecideBody,
) -> Response:
    found, actor = await _official_start(
        request, session, claims, tree, objection_id, ATASAN_ROLES, NOT_ATASAN
    )
    await service.decide(session, tree, found, actor, body, _now())
    return await _answer(session, found)


@router.post(
    "/v1/objections/{objection_id}/execute-order",
    response_model=ObjectionView,
    summary="Record that the Atasan's order was carried out",
    description=(
        "`decided_upheld_requester` → `order_executed`, with a `note` of what was done. "
        "Handlers of the unit." + IF_MATCH
    ),
    responses=ACTION_RESPONSES,
)
async def execute_objection_order(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    objection_id: ObjectionId,
    body: ExecuteBody,
) -> Response:
    found, actor = await _official_start(
        request, session, claims, tree, objection_id, HANDLER_ROLES, NOT_HANDLER
    )
    await service.execute_order(session, found, actor, body.note, _now())
    return await _answer(session, found)


@router.post(
    "/v1/objections/{objection_id}/reaction",
    response_model=ObjectionView,
    summary="Record the requester's reaction to the decision",
    description=(
        "From a decision or an executed order: `satisfied` → `settled`; `not_satisfied` is "
        "recorded and the state kept (a dispute at the KI may follow). The filer (account "
        "or `X-Tracking-Secret`) or a handler recording it at the desk." + IF_MATCH
    ),
    responses=ACTION_RESPONSES,
)
async def record_reaction(
    request: Request,
    session: SessionDep,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    objection_id: ObjectionId,
    body: ReactionBody,
    tracking_secret: TrackingSecretHeader = None,
) -> Response:
    found = await get_objection(session, objection_id, for_update=True)
    actor, actor_type = filer_or_handler(claims, found, tree, tracking_secret)
    _if_match(request, found)
    await service.react(session, found, actor, actor_type, body.reaction, body.note, _now())
    return await _answer(session, found)


@router.post(
    "/v1/objections/{objection_id}/withdraw",
    response_model=ObjectionView,
    summary="Withdraw an objection",
    description=(
        "Any state that is not final → `withdrawn`. The filer (account or "
        "`X-Tracking-Secret`) or a handler on the filer's written word." + IF_MATCH
    ),
    responses=ACTION_RESPONSES,
)
async def withdraw_objection(
    request: Request,
    session: SessionDep,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    objection_id: ObjectionId,
    tracking_secret: TrackingSecretHeader = None,
    body: NoteBody | None = None,
) -> Response:
    found = await get_objection(session, objection_id, for_update=True)
    actor, actor_type = filer_or_handler(claims, found, tree, tracking_secret)
    _if_match(request, found)
    await service.withdraw(session, found, actor, actor_type, body.note if body else None, _now())
    return await _answer(session, found)


router.include_router(files_router)
