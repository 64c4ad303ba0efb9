"""`GET /v1/statistics/readiness` (JSON) and `…/readiness.csv`: the PPID Utama's internal
monitoring of its units against what the Komisi Informasi's Monev looks for (DOMAIN.md 16).

Root-wide officials only (PPID Utama, admin, Atasan PPID, auditor at the root): the report
ranks every unit of the badan publik. No personal data: counts, dates, numbers of requests
and objections (never who filed them).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from ppid_kit.access import ADMIN, ATASAN_PPID, AUDITOR, PPID_UTAMA, require_role, require_root
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag
from ppid_kit.problems import Text, request_language
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep

from requests_service.readiness.registry import FreshnessClient
from requests_service.readiness.schemas import ReadinessReport
from requests_service.readiness.service import readiness_report
from requests_service.registers.common import download_with_etag
from requests_service.registers.formats import CSV_MEDIA_TYPE, csv_bytes
from requests_service.statistics.routes import PRIVATE, get_responses

router = APIRouter(tags=["statistics"])

PATH = "/v1/statistics/readiness"
VARY = "Authorization, Accept-Language"
# Root-wide roles only: the report compares every unit of the badan publik.
READINESS_ROLES = (PPID_UTAMA, ADMIN, ATASAN_PPID, AUDITOR)
_NOT_ALLOWED = Text(
    "Laporan kesiapan hanya untuk PPID Utama, admin, Atasan PPID atau auditor badan publik ini.",
    "The readiness report is for this public body's PPID Utama, admin, Atasan PPID or auditor.",
)
_DESCRIPTION = (
    'An **internal estimate** (`estimate: "internal"`), not the Komisi Informasi\'s '
    "assessment: for each active unit of the root, the DIP's freshness (from the registry, "
    "as of now), the requests received in `year` answered on time (notice by D10/D17, "
    "delivery by its promised date), the open requests and objections past their deadline "
    "now, the objections of `year` answered within 30 working days, a checklist of the "
    "Monev items the data proves (each with `met`, evidence, weight), a score 0-100 (the "
    "weight of the met items over the applicable ones; weights in `weights`) and its "
    "category (Informatif 90-100, Menuju Informatif 80-89.9, Cukup Informatif 60-79.9, "
    "Kurang Informatif 40-59.9, Tidak Informatif below 40); the root's summary is the mean "
    "of its units' scores. SAQ evidence, the website, forums and the like are outside the "
    "backend. For the PPID Utama, admin, Atasan PPID or auditor at the root. The registry "
    "down: 503 with `Retry-After` (no partial report)."
)

RootQuery = Annotated[uuid.UUID, Query(description="The root (badan publik).")]
YearQuery = Annotated[
    int, Query(ge=2008, le=2100, description="Year of receipt of requests and objections.")
]


async def _report(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root: uuid.UUID,
    year: int,
) -> ReadinessReport:
    """The checks before anything is read (404 unknown root, 403 role), then the report."""
    require_root(root, tree)
    require_role(claims, READINESS_ROLES, root, tree, _NOT_ALLOWED)
    client = FreshnessClient.of(request.app.state.http, request.app.state.settings)
    freshness = await client.freshness(root, request.headers.get("authorization"))
    return await readiness_report(
        session,
        tree,
        root,
        year,
        freshness,
        now=dt.datetime.now(dt.UTC),
        lang=request_language(request),
    )


RESPONSES = get_responses(401, 403, 404, 422, 502, 503)


@router.get(
    PATH,
    response_model=ReadinessReport,
    summary="Monev readiness of the root's units (internal estimate)",
    description=_DESCRIPTION,
    responses=RESPONSES,
)
async def get_readiness(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root: RootQuery,
    year: YearQuery,
) -> Response:
    report = await _report(request, session, claims, tree, root, year)
    lang = request_language(request)
    headers = {"Vary": VARY, "Content-Language": lang}
    return json_with_etag(
        request, report.model_dump(mode="json"), cache_control=PRIVATE, headers=headers
    )


CSV_HEADERS = {
    "id": [
        "kode_unit",
        "nama_unit",
        "skor",
        "kategori",
        "butir_terpenuhi",
        "butir_dinilai",
        "permohonan_diterima",
        "tepat_waktu",
        "terlambat",
        "persen_tepat_waktu",
        "tunggakan_permohonan",
        "keberatan_diterima",
        "keberatan_terlambat",
        "dip_terakhir_diperbarui",
        "dip_berkala_usang",
    ],
    "en": [
        "unit_code",
        "unit_name",
        "score",
        "category",
        "items_met",
        "items_assessed",
        "requests_received",
        "on_time",
        "late",
        "percent_on_time",
        "overdue_requests",
        "objections_received",
        "objections_late",
        "dip_last_updated",
        "dip_stale_berkala",
    ],
}


def csv_rows(report: ReadinessReport) -> list[list[str]]:
    """One row per unit, then the note (the estimate travels with the file)."""
    rows = []
    for unit in report.units:
        assessed = [item for item in unit.checklist if item.applicable]
        share = unit.requests.on_time_share
        rows.append(
            [
                unit.code,
                unit.name,
                f"{unit.score:.1f}",
                unit.category_label,
                str(sum(item.met for item in assessed)),
                str(len(assessed)),
                str(unit.requests.received),
                str(unit.requests.on_time),
                str(unit.requests.late),
                "" if share is None else f"{share * 100:.1f}",
                str(unit.open_overdue.requests),
                str(unit.objections.received),
                str(unit.objections.decided_late + unit.objections.open_past_due),
                "" if unit.dip.last_updated_at is None else unit.dip.last_updated_at.isoformat(),
                str(len(unit.dip.stale_berkala)),
            ]
        )
    rows.append(["", report.note] + [""] * 13)
    return rows


@router.get(
    f"{PATH}.csv",
    summary="Monev readiness of the root's units, as CSV (internal estimate)",
    description="The units' rows of the JSON report, one per unit, the note last. UTF-8 with "
    "a BOM, CRLF; cells that a spreadsheet would run as a formula are quoted with `'`.",
    response_class=Response,
    responses=get_responses(401, 403, 404, 422, 502, 503, content="text/csv"),
)
async def get_readiness_csv(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root: RootQuery,
    year: YearQuery,
) -> Response:
    report = await _report(request, session, claims, tree, root, year)
    lang = request_language(request)
    body = csv_bytes(CSV_HEADERS[lang], csv_rows(report))
    headers = {"Cache-Control": PRIVATE, "Vary": VARY, "Content-Language": lang}
    return download_with_etag(
        request, body, media_type=CSV_MEDIA_TYPE, headers=headers, filename=f"kesiapan-{year}.csv"
    )
