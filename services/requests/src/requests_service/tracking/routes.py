"""Tracking: by number and secret, one request, the requester's list, the officials' list.

Fixed paths (`/track`, `/mine`) come before `/v1/requests/{request_id}`. A request
nobody may see is a 404, the same as one that does not exist (DOMAIN.md 17).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit import paging
from ppid_kit.access import subject_id
from ppid_kit.audit import write_audit
from ppid_kit.db import SessionDep
from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError, Text, problem_responses
from ppid_kit.tokens import Claims, CurrentClaims, OptionalClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep

from requests_service.core import repository
from requests_service.core.access import (
    READER_ROLES,
    REQUEST_NOT_FOUND,
    secret_matches,
    viewer_of,
)
from requests_service.core.models import Channel, RequestState
from requests_service.core.views import (
    RequestView,
    not_modified_with,
    page_response,
    request_etag,
    request_view,
)
from requests_service.identity.nik import nik_hash
from requests_service.intake.deps import SettingsDep, TrackingSecretHeader
from requests_service.intake.rules import checked_nik
from requests_service.tracking.repository import NEWEST_FIRST, RequestFilter, select_requests
from requests_service.tracking.schemas import (
    Overdue,
    RequestListItem,
    RequestListPage,
    TrackingQuery,
)

router = APIRouter(tags=["requests"])

RequestId = Annotated[uuid.UUID, Path(description="The request's id.")]
PRIVATE = "private, no-cache"
VARY = "Authorization, X-Tracking-Secret"
_NOT_REQUESTER = Text(
    "Daftar ini hanya untuk akun pemohon.", "This list is for requester accounts only."
)
_NOT_READER = Text(
    "Anda tidak berwenang membaca permohonan.", "You are not allowed to read requests."
)


@router.post(
    "/v1/requests/track",
    response_model=RequestView,
    summary="Track a request by its registration number and tracking secret",
    description=(
        "No account needed (DOMAIN.md 17 rule 3: the number and the secret together). An "
        "unknown number and a wrong secret are the same 404."
    ),
    responses={
        200: {"headers": {"Cache-Control": {"schema": {"type": "string"}}}},
        **problem_responses(404, 422),
    },
)
async def track_request(session: SessionDep, body: TrackingQuery) -> Response:
    found = await repository.get_by_number(session, body.registration_number.strip())
    if found is None or not secret_matches(found, body.tracking_secret):
        raise ProblemError(NOT_FOUND, REQUEST_NOT_FOUND)
    view = await request_view(session, found, official=False)
    headers = {"ETag": request_etag(found), "Cache-Control": "no-store"}
    return JSONResponse(view.model_dump(mode="json"), headers=headers)


def _page(request: Request, items: list[RequestListItem], next_cursor: str | None) -> Response:
    return page_response(request, items, next_cursor, cache_control=PRIVATE, headers={"Vary": VARY})


@router.get(
    "/v1/requests/mine",
    response_model=RequestListPage,
    summary="List my requests (requester account)",
    description="The requests submitted with the caller's requester account, newest first.",
    responses={**paging.LIST_RESPONSES, **problem_responses(401, 403)},
)
async def list_my_requests(
    request: Request, session: SessionDep, claims: CurrentClaims, page: paging.PagingDep
) -> Response:
    account = subject_id(claims)
    if claims.typ != "requester" or account is None:
        raise ProblemError(FORBIDDEN, _NOT_REQUESTER)
    now = dt.datetime.now(dt.UTC)
    stmt = select_requests(RequestFilter(now=now, requester_account_id=account))
    found = await paging.keyset_page(session, stmt, NEWEST_FIRST, page)
    return _page(request, [RequestListItem.of(r, now) for r in found.items], found.next_cursor)


def readable_units(
    claims: Claims, tree: UnitTree, unit_id: uuid.UUID | None, refused: Text = _NOT_READER
) -> tuple[set[uuid.UUID], str]:
    """The units the caller's reader roles cover (within `unit_id`'s subtree when given) and
    the strongest of those roles; 403 (`refused`) for a caller who reads no unit. Every
    officials' list (requests, objections, disputes, statistics) scopes itself so."""
    by_role = {role: tree.units_under(claims, role) for role in READER_ROLES}
    units: set[uuid.UUID] = set().union(*by_role.values())
    if not units:
        raise ProblemError(FORBIDDEN, refused)
    role = next(role for role, held in by_role.items() if held)
    if unit_id is not None:
        units &= tree.subtree(unit_id) if unit_id in tree else set()
    return units, role


@router.get(
    "/v1/requests",
    response_model=RequestListPage,
    summary="List requests (officials)",
    description=(
        "The requests of the units the caller's reader roles cover (a role at a unit covers "
        "its sub-units), newest received first. `unit_id` includes its sub-units; "
        "`received_from`/`received_to` are local dates of receipt; `overdue=notice`: no "
        "written notice by D10/D17, `overdue=delivery`: not delivered by the promised date; "
        "`nik` finds a requester's requests by the keyed hash (the search is audited)."
    ),
    responses={**paging.LIST_RESPONSES, **problem_responses(401, 403, 422)},
)
async def list_requests(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    settings: SettingsDep,
    page: paging.PagingDep,
    state: Annotated[list[RequestState] | None, Query(description="Any of these states.")] = None,
    overdue: Annotated[Overdue | None, Query(description="Only overdue ones.")] = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="This unit and below.")] = None,
    root: Annotated[uuid.UUID | None, Query(description="Only this root's.")] = None,
    channel: Annotated[Channel | None, Query(description="Only this channel.")] = None,
    received_from: Annotated[dt.date | None, Query(description="Received on or after.")] = None,
    received_to: Annotated[dt.date | None, Query(description="Received on or before.")] = None,
    nik: Annotated[
        str | None, Query(min_length=1, max_length=32, description="The requester's NIK.")
    ] = None,
) -> Response:
    units, role = readable_units(claims, tree, unit_id)
    hashed = None if nik is None else nik_hash(checked_nik(nik, "query.nik"), settings.nik_hash_key)
    now = dt.datetime.now(dt.UTC)
    filters = RequestFilter(
        now=now,
        unit_ids=units,
        states=state,
        overdue=overdue,
        root=root,
        channel=channel,
        received_from=received_from,
        received_to=received_to,
        nik_hash=hashed,
    )
    found = await paging.keyset_page(session, select_requests(filters), NEWEST_FIRST, page)
    if nik is not None:  # DOMAIN.md 17 rule 5: every lookup by NIK is logged (never the NIK)
        await write_audit(
            session,
            action="request.search_by_identity",
            object_type="information_request",
            object_id="search",
            actor_id=subject_id(claims),
            actor_type=f"official:{role}",
            details={"results": len(found.items), "unit": str(unit_id) if unit_id else None},
        )
    return _page(request, [RequestListItem.of(r, now) for r in found.items], found.next_cursor)


@router.get(
    "/v1/requests/{request_id}",
    response_model=RequestView,
    summary="Get a request",
    description=(
        "For reader officials of the handling unit, the requester's account, or the holder of "
        "the tracking secret (`X-Tracking-Secret`); 404 to anyone else. The `ETag` is the "
        "request's version (the `If-Match` of its actions)."
    ),
    responses={**paging.ITEM_RESPONSES, **problem_responses(401, 422)},
)
async def get_request(
    request: Request,
    session: SessionDep,
    tree: UnitTreeDep,
    claims: OptionalClaims,
    request_id: RequestId,
    tracking_secret: TrackingSecretHeader = None,
) -> Response:
    found = await repository.get_request(session, request_id)
    viewer = viewer_of(claims, found, tree, tracking_secret)
    headers = {"ETag": request_etag(found), "Cache-Control": PRIVATE, "Vary": VARY}
    cached = not_modified_with(request, headers)
    if cached is not None:
        return cached
    view = await request_view(session, found, official=viewer.is_official)
    return JSONResponse(view.model_dump(mode="json"), headers=headers)
