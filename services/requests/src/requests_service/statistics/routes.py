"""`GET /v1/statistics/requests` (public, suppressed) and `/official` (readers, in full).

DOMAIN.md 15.2 (UU Pasal 12: received, time taken, granted and refused, the reasons) and
17 (no personal data, no small counts). The period is of receipt dates (day 0).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

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
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep

from requests_service.statistics import service
from requests_service.statistics.schemas import Period, RequestStatistics
from requests_service.tracking.routes import readable_units

router = APIRouter(tags=["statistics"])

PUBLIC = "public, max-age=300"
PRIVATE = "private, no-cache"
_UNKNOWN = Text("Badan publik atau unit tidak ditemukan.", "Public body or unit not found.")
_NOT_READER = Text(
    "Anda tidak berwenang membaca statistik lengkap unit ini.",
    "You are not allowed to read this unit's full statistics.",
)
_BOTH = Text("Pilih semester atau bulan, tidak keduanya.", "Give a semester or a month, not both.")

RootQuery = Annotated[uuid.UUID, Query(description="The root (badan publik).")]
UnitQuery = Annotated[
    uuid.UUID | None, Query(description="One unit of the root, its sub-units included.")
]
YearQuery = Annotated[int, Query(ge=2008, le=2100, description="Year of receipt.")]
SemesterQuery = Annotated[int | None, Query(ge=1, le=2, description="1: Jan-Jun, 2: Jul-Dec.")]
MonthQuery = Annotated[int | None, Query(ge=1, le=12, description="One month.")]


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
        raise ProblemError(NOT_FOUND, _UNKNOWN)
    if unit_id is None:
        return root
    if unit_id not in tree or tree.root_of(unit_id) != root:
        raise ProblemError(NOT_FOUND, _UNKNOWN)
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
    return json_with_etag(
        request, body.model_dump(mode="json"), cache_control=PUBLIC if suppress else PRIVATE
    )


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
    responses={
        200: {"headers": {"ETag": {"schema": {"type": "string"}}}},
        304: {"description": "Not modified."},
        **problem_responses(404, 422),
    },
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
    responses={
        200: {"headers": {"ETag": {"schema": {"type": "string"}}}},
        304: {"description": "Not modified."},
        **problem_responses(401, 403, 404, 422),
    },
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
    scope = scope_of(tree, root, unit_id)
    units, _ = readable_units(claims, tree, scope)
    if scope not in units:  # the caller's grant must cover the whole scope
        raise ProblemError(FORBIDDEN, _NOT_READER)
    return await _statistics(request, session, tree, root, unit_id, period, suppress=False)
