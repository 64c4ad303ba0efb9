"""`GET /v1/statistics/requests` (public, suppressed) and `/official` (readers, in full).

DOMAIN.md 15.2 (UU Pasal 12: received, time taken, granted and refused, the reasons) and
17 (no personal data, no small counts). The period is of receipt dates (day 0).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag
from ppid_kit.problems import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION,
    FieldError,
    ProblemError,
    Text,
    problem_responses,
)
from ppid_kit.tokens import Claims, CurrentClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep
from pydantic import BaseModel

from requests_service.calendar.models import DEFAULT_TIME_ZONE
from requests_service.statistics import objection_service, service
from requests_service.statistics.schemas import ObjectionStatistics, Period, RequestStatistics
from requests_service.tracking.routes import readable_units

router = APIRouter(tags=["statistics"])

PUBLIC = "public, max-age=300"
PRIVATE = "private, no-cache"
UNKNOWN_SCOPE = Text("Badan publik atau unit tidak ditemukan.", "Public body or unit not found.")
_NOT_READER = Text(
    "Anda tidak berwenang membaca statistik lengkap unit ini.",
    "You are not allowed to read this unit's full statistics.",
)
ETAG: dict[str, Any] = {"ETag": {"schema": {"type": "string"}}}
_BOTH = Text("Pilih semester atau bulan, tidak keduanya.", "Give a semester or a month, not both.")

RootQuery = Annotated[uuid.UUID, Query(description="The root (badan publik).")]
UnitQuery = Annotated[
    uuid.UUID | None, Query(description="One unit of the root, its sub-units included.")
]
YearQuery = Annotated[int, Query(ge=2008, le=2100, description="Year of receipt.")]
SemesterQuery = Annotated[int | None, Query(ge=1, le=2, description="1: Jan-Jun, 2: Jul-Dec.")]
MonthQuery = Annotated[int | None, Query(ge=1, le=12, description="One month.")]


def get_responses(*problems: int, content: str | None = None) -> dict[int | str, dict[str, Any]]:
    """The documented responses of a GET with an ETag (304 on `If-None-Match`)."""
    ok: dict[str, Any] = {"headers": ETAG}
    if content is not None:
        ok["content"] = {content: {}}
    return {200: ok, 304: {"description": "Not modified."}, **problem_responses(*problems)}


PUBLIC_RESPONSES = get_responses(404, 422)
OFFICIAL_RESPONSES = get_responses(401, 403, 404, 422)


def figures_response(request: Request, body: BaseModel, *, suppress: bool) -> Response:
    """The figures as JSON with an ETag; the suppressed view is cacheable by anyone."""
    return json_with_etag(
        request, body.model_dump(mode="json"), cache_control=PUBLIC if suppress else PRIVATE
    )


def period_of(year: int, semester: int | None, month: int | None) -> Period:
    if semester is not None and month is not None:
        raise ProblemError(VALIDATION, errors=[FieldError("query.month", _BOTH)])
    if month is not None:
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        start, end = dt.date(year, month, 1), following - dt.timedelta(days=1)
    elif semester is not None:
        start = dt.date(year, 1 if semester == 1 else 7, 1)
        end = dt.date(year, 6, 30) if semester == 1 else dt.date(year, 12, 31)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Period(year=year, semester=semester, month=month, start=start, end=end)


def scope_of(tree: UnitTree, root: uuid.UUID, unit_id: uuid.UUID | None) -> uuid.UUID:
    """The unit the figures cover (the root unless `unit_id`); 404 outside the root."""
    if root not in tree or tree.root_of(root) != root:
        raise ProblemError(NOT_FOUND, UNKNOWN_SCOPE)
    if unit_id is None:
        return root
    if unit_id not in tree or tree.root_of(unit_id) != root:
        raise ProblemError(NOT_FOUND, UNKNOWN_SCOPE)
    return unit_id


async def _statistics(
    request: Request,
    session: SessionDep,
    tree: UnitTree,
    root: uuid.UUID,
    unit_id: uuid.UUID | None,
    period: Period,
    *,
    suppress: bool,
) -> Response:
    scope = scope_of(tree, root, unit_id)
    tallies = await service.tally(
        session,
        root,
        tree.subtree(scope),
        period.start,
        period.end,
        time_zone=tree.node(root).time_zone,
    )
    body = RequestStatistics(
        root_id=root,
        unit_id=unit_id,
        period=period,
        suppression=suppress,
        total=service.figures(service.total(tallies), suppress=suppress),
        units=service.unit_figures(tallies, suppress=suppress),
    )
    return figures_response(request, body, suppress=suppress)


@router.get(
    "/v1/statistics/requests",
    response_model=RequestStatistics,
    summary="Request statistics (public)",
    description=(
        "UU Pasal 12 figures of the requests received in the period by the root (or by "
        "`unit_id` and its sub-units), in total and per handling unit. No personal data; "
        "counts of 1 or 2, and times or fee sums over fewer than 3 requests, are `null` and "
        "named in `suppressed` (DOMAIN.md 17). `semester` or `month`, not both."
    ),
    responses=PUBLIC_RESPONSES,
)
async def public_statistics(
    request: Request,
    session: SessionDep,
    tree: UnitTreeDep,
    root: RootQuery,
    year: YearQuery,
    unit_id: UnitQuery = None,
    semester: SemesterQuery = None,
    month: MonthQuery = None,
) -> Response:
    period = period_of(year, semester, month)
    return await _statistics(request, session, tree, root, unit_id, period, suppress=True)


@router.get(
    "/v1/statistics/requests/official",
    response_model=RequestStatistics,
    summary="Request statistics (officials, unsuppressed)",
    description=(
        "The same figures without suppression, for reader officials (PPID, petugas, Atasan "
        "PPID, auditor, admin) whose grant covers the root or `unit_id`."
    ),
    responses=OFFICIAL_RESPONSES,
)
async def official_statistics(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root: RootQuery,
    year: YearQuery,
    unit_id: UnitQuery = None,
    semester: SemesterQuery = None,
    month: MonthQuery = None,
) -> Response:
    period = period_of(year, semester, month)
    require_reader(claims, tree, scope_of(tree, root, unit_id))
    return await _statistics(request, session, tree, root, unit_id, period, suppress=False)


def local_today(tree: UnitTree, root: uuid.UUID) -> dt.date:
    """Today in the root's time zone: the day "overdue" and "pending" are judged on."""
    zone = tree.node(root).time_zone or DEFAULT_TIME_ZONE
    return dt.datetime.now(ZoneInfo(zone)).date()


def require_reader(claims: Claims, tree: UnitTree, scope: uuid.UUID) -> None:
    """403 unless the caller's reader roles cover the whole scope (its root or unit)."""
    units, _ = readable_units(claims, tree, scope)
    if scope not in units:
        raise ProblemError(FORBIDDEN, _NOT_READER)


async def _objection_statistics(
    request: Request,
    session: SessionDep,
    tree: UnitTree,
    root: uuid.UUID,
    unit_id: uuid.UUID | None,
    period: Period,
    *,
    suppress: bool,
) -> Response:
    scope = scope_of(tree, root, unit_id)
    today = local_today(tree, root)
    tallies = await objection_service.tally(
        session,
        root,
        tree.subtree(scope),
        period.start,
        period.end,
        today=today,
        time_zone=tree.node(root).time_zone,
    )
    body = ObjectionStatistics(
        root_id=root,
        unit_id=unit_id,
        period=period,
        as_of=today,
        suppression=suppress,
        total=objection_service.scope_figures(objection_service.total(tallies), suppress=suppress),
        units=objection_service.unit_figures(tallies, suppress=suppress),
    )
    return figures_response(request, body, suppress=suppress)


@router.get(
    "/v1/statistics/objections",
    response_model=ObjectionStatistics,
    summary="Objection and dispute statistics (public)",
    description=(
        "DOMAIN.md 15.2: the objections received in the period (receipt date) by reason "
        "(UU Pasal 35(1) a-g), outcome, response time in working days and overdue (UU Pasal "
        "36(2)); the disputes filed at the Komisi Informasi in the period by level, stage, "
        "outcome, court cases and compliance. Per deciding unit and in total. Counts of 1 or "
        "2 and times over fewer than 3 objections are `null` and named in `suppressed`."
    ),
    responses=PUBLIC_RESPONSES,
)
async def public_objection_statistics(
    request: Request,
    session: SessionDep,
    tree: UnitTreeDep,
    root: RootQuery,
    year: YearQuery,
    unit_id: UnitQuery = None,
    semester: SemesterQuery = None,
    month: MonthQuery = None,
) -> Response:
    period = period_of(year, semester, month)
    return await _objection_statistics(request, session, tree, root, unit_id, period, suppress=True)


@router.get(
    "/v1/statistics/objections/official",
    response_model=ObjectionStatistics,
    summary="Objection and dispute statistics (officials, unsuppressed)",
    description=(
        "The same figures without suppression, for reader officials (PPID, petugas, Atasan "
        "PPID, auditor, admin) whose grant covers the root or `unit_id`."
    ),
    responses=OFFICIAL_RESPONSES,
)
async def official_objection_statistics(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root: RootQuery,
    year: YearQuery,
    unit_id: UnitQuery = None,
    semester: SemesterQuery = None,
    month: MonthQuery = None,
) -> Response:
    period = period_of(year, semester, month)
    require_reader(claims, tree, scope_of(tree, root, unit_id))
    return await _objection_statistics(
        request, session, tree, root, unit_id, period, suppress=False
    )
