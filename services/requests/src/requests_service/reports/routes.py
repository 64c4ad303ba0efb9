"""`/v1/statistics/annual-report` (JSON, `.csv`, `.pdf`) and its narrative.

The annual service report (Laporan Layanan Informasi Publik; SLIP Pasal 56, DOMAIN.md
15.1) is "setiap saat" information (UU Pasal 11(1)(h)): anyone reads it, with small cells
suppressed as in the public statistics (DOMAIN.md 17); reader officials whose grant
covers the root or unit read it in full (`view: official`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit.access import require_role, strongest_role
from ppid_kit.audit import write_audit
from ppid_kit.db import SessionDep
from ppid_kit.etag import etag_for, json_with_etag, not_modified, require_if_match
from ppid_kit.problems import (
    NOT_FOUND,
    VALIDATION,
    FieldError,
    ProblemError,
    Text,
    problem_responses,
)
from ppid_kit.tokens import Claims, CurrentClaims, OptionalClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core.access import DECIDER_ROLES, READER_ROLES
from requests_service.pdf import render_pdf
from requests_service.registers.common import download_with_etag
from requests_service.registers.formats import CSV_MEDIA_TYPE
from requests_service.reports import formats, service
from requests_service.reports.models import NARRATIVE_PARTS, AnnualReportNarrative
from requests_service.reports.schemas import AnnualReport, Narrative, NarrativeBody, ReportView
from requests_service.statistics.routes import (
    ETAG,
    PRIVATE,
    PUBLIC,
    PUBLIC_RESPONSES,
    UNKNOWN_SCOPE,
    get_responses,
    local_today,
    scope_of,
)

router = APIRouter(tags=["statistics"])

BASE = "/v1/statistics/annual-report"
_ONE_SCOPE = Text("Sebutkan `root` atau `unit_id`.", "Give `root` or `unit_id`.")
_NOT_DECIDER = Text(
    "Hanya PPID unit ini yang menulis narasi laporan tahunannya.",
    "Only this unit's PPID writes its annual report's narrative.",
)

RootQuery = Annotated[uuid.UUID | None, Query(description="The root: consolidated report.")]
UnitQuery = Annotated[uuid.UUID | None, Query(description="One unit (its sub-units included).")]
YearQuery = Annotated[int, Query(ge=2008, le=2100, description="The year reported on.")]
NarrativeUnit = Annotated[uuid.UUID, Query(description="The unit (or the root) writing.")]


def _scope(tree: UnitTree, root: uuid.UUID | None, unit_id: uuid.UUID | None) -> uuid.UUID:
    """The root of the report; 422 unless exactly one of `root`, `unit_id`; 404 unknown."""
    if (root is None) == (unit_id is None):
        raise ProblemError(VALIDATION, errors=[FieldError("query.root", _ONE_SCOPE)])
    if root is not None:
        return scope_of(tree, root, None)
    assert unit_id is not None
    if unit_id not in tree:
        raise ProblemError(NOT_FOUND, UNKNOWN_SCOPE)
    return scope_of(tree, tree.root_of(unit_id), unit_id)


def view_of(claims: Claims | None, tree: UnitTree, scope: uuid.UUID) -> ReportView:
    """Officials whose reader grant covers the scope read in full; everyone else the
    public (suppressed) view — never a 401/403: the report is public (UU Pasal 11(1)(h))."""
    if claims is None or strongest_role(claims, READER_ROLES, scope, tree) is None:
        return ReportView.PUBLIC
    return ReportView.OFFICIAL


async def _report(
    session: AsyncSession,
    tree: UnitTree,
    claims: Claims | None,
    root: uuid.UUID | None,
    unit_id: uuid.UUID | None,
    year: int,
) -> AnnualReport:
    root_id = _scope(tree, root, unit_id)
    scope = unit_id or root_id
    return await service.build_report(
        session,
        tree,
        root_id,
        unit_id,
        year,
        view=view_of(claims, tree, scope),
        today=local_today(tree, root_id),
    )


def _file(request: Request, report: AnnualReport, body: bytes, media: str, ext: str) -> Response:
    cache = PUBLIC if report.view is ReportView.PUBLIC else PRIVATE
    name = f"laporan-layanan-informasi-{report.scope.code or report.scope.unit_id}-{report.year}"
    return download_with_etag(
        request, body, media_type=media, headers={"Cache-Control": cache}, filename=f"{name}.{ext}"
    )


_DESCRIPTION = (
    "The annual service report (SLIP Pasal 56; DOMAIN.md 15.1) of the root given as `root` "
    "(consolidated: the root's total and each unit, PPID Pelaksana to PPID Utama) or of "
    "`unit_id`, for `year`: (1) policy, (2) how the service runs, (3) details of the "
    "service (the request statistics), (4) objections and disputes, (5) obstacles, (6) "
    "recommendations. Public, with counts of 1-2 suppressed as in the public statistics; "
    "reader officials whose grant covers the scope get it in full (`view`). `due_date`: 31 "
    "March of the next year."
)


@router.get(
    BASE,
    response_model=AnnualReport,
    summary="Annual service report (JSON)",
    description=_DESCRIPTION,
    responses=PUBLIC_RESPONSES,
)
async def annual_report(
    request: Request,
    session: SessionDep,
    tree: UnitTreeDep,
    claims: OptionalClaims,
    year: YearQuery,
    root: RootQuery = None,
    unit_id: UnitQuery = None,
) -> Response:
    report = await _report(session, tree, claims, root, unit_id, year)
    cache = PUBLIC if report.view is ReportView.PUBLIC else PRIVATE
    return json_with_etag(request, report.model_dump(mode="json"), cache_control=cache)


@router.get(
    f"{BASE}.csv",
    summary="Annual service report (CSV)",
    description=_DESCRIPTION
    + " One row per (section, level, unit, metric): columns `section,level,unit_id,"
    "unit_code,metric,value`; `metric` is the JSON path of the figure inside its section; "
    "an empty value is suppressed or not applicable.",
    responses=get_responses(404, 422, content="text/csv"),
)
async def annual_report_csv(
    request: Request,
    session: SessionDep,
    tree: UnitTreeDep,
    claims: OptionalClaims,
    year: YearQuery,
    root: RootQuery = None,
    unit_id: UnitQuery = None,
) -> Response:
    report = await _report(session, tree, claims, root, unit_id, year)
    return _file(request, report, formats.report_csv(report), CSV_MEDIA_TYPE, "csv")


@router.get(
    f"{BASE}.pdf",
    summary="Annual service report (PDF)",
    description=_DESCRIPTION + " As a document with the six sections.",
    responses=get_responses(404, 422, content="application/pdf"),
)
async def annual_report_pdf(
    request: Request,
    session: SessionDep,
    tree: UnitTreeDep,
    claims: OptionalClaims,
    year: YearQuery,
    root: RootQuery = None,
    unit_id: UnitQuery = None,
) -> Response:
    report = await _report(session, tree, claims, root, unit_id, year)
    document = render_pdf(formats.report_document(report))
    return _file(request, report, document, "application/pdf", "pdf")


def narrative_etag(unit_id: uuid.UUID, year: int, version: int) -> str:
    return etag_for(f"annual-report-narrative:{unit_id}:{year}:{version}")


def _known_unit(tree: UnitTree, unit_id: uuid.UUID) -> None:
    if unit_id not in tree:
        raise ProblemError(NOT_FOUND, UNKNOWN_SCOPE)


def _narrative_response(shown: Narrative, status_code: int = 200) -> JSONResponse:
    headers = {
        "ETag": narrative_etag(shown.unit_id, shown.year, shown.version),
        "Cache-Control": "no-cache",
    }
    return JSONResponse(shown.model_dump(mode="json"), status_code=status_code, headers=headers)


@router.get(
    f"{BASE}/narrative",
    response_model=Narrative,
    summary="Get the PPID's narrative of an annual report",
    description=(
        "Sections 1, 2, 5 and 6 as the unit's (or the root's) PPID wrote them for `year`; "
        "empty (version 0) before the first write. Public, as the report."
    ),
    responses=PUBLIC_RESPONSES,
)
async def get_narrative(
    request: Request,
    session: SessionDep,
    tree: UnitTreeDep,
    unit_id: NarrativeUnit,
    year: YearQuery,
) -> Response:
    _known_unit(tree, unit_id)
    row = await session.get(AnnualReportNarrative, (unit_id, year))
    shown = service.narrative_view(row, unit_id, year)
    cached = not_modified(request, narrative_etag(unit_id, year, shown.version))
    if cached is not None:
        return cached
    return _narrative_response(shown)


@router.put(
    f"{BASE}/narrative",
    response_model=Narrative,
    summary="Write the PPID's narrative of an annual report",
    description=(
        "The PPID of the unit (PPID Pelaksana, or the PPID Utama over it; "
        "`core.access.DECIDER_ROLES`) writes sections 1, 2, 5 and 6 of the unit's report "
        "for `year` (the root's for the consolidated report). Every part is replaced. "
        "`If-Match` (the GET's ETag) once a narrative exists; 201 for the first. Audited."
    ),
    responses={
        200: {"headers": ETAG},
        201: {"headers": ETAG, "description": "The first narrative of this unit and year."},
        **problem_responses(401, 403, 404, 412, 422, 428),
    },
)
async def put_narrative(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    unit_id: NarrativeUnit,
    year: YearQuery,
    body: NarrativeBody,
) -> JSONResponse:
    _known_unit(tree, unit_id)
    actor = require_role(claims, DECIDER_ROLES, unit_id, tree, _NOT_DECIDER)
    row = await session.get(AnnualReportNarrative, (unit_id, year), with_for_update=True)
    created = row is None
    if row is None:
        row = AnnualReportNarrative(unit_id=unit_id, year=year, root_id=tree.root_of(unit_id))
    else:
        require_if_match(request, narrative_etag(unit_id, year, row.version))
        row.version += 1
    for _, part in NARRATIVE_PARTS:
        setattr(row, part, getattr(body, part))
    row.updated_by = actor.user_id
    row.updated_at = dt.datetime.now(dt.UTC)
    session.add(row)
    await session.flush()
    await write_audit(
        session,
        action="annual_report.narrative_written",
        object_type="annual_report_narrative",
        object_id=f"{unit_id}:{year}",
        actor_id=actor.user_id,
        actor_type=actor.role,
        unit_id=unit_id,
        details={
            "year": year,
            "version": row.version,
            "parts": [part for _, part in NARRATIVE_PARTS if getattr(body, part)],
        },
    )
    shown = service.narrative_view(row, unit_id, year)
    return _narrative_response(shown, status_code=201 if created else 200)
