"""`GET /v1/requests/register.csv|.xlsx`: the register of requests (DOMAIN.md 8.7).

For reader officials of the unit asked (its sub-units included) or of the root: one
row per request received in the year (local year of `received_at`), in registration
order. The personal columns are filled only where the caller handles the request's
unit (DOMAIN.md 17); every download is audited `register.read` (no personal data).
Mounted before tracking: `/v1/requests/{request_id}` would otherwise take the path.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from ppid_kit.db import SessionDep
from ppid_kit.problems import Text
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep

from requests_service.core.access import HANDLER_ROLES
from requests_service.registers import objection_routes
from requests_service.registers.common import (
    CSV_RESPONSES,
    XLSX_RESPONSES,
    RegisterFormat,
    Root,
    UnitId,
    Year,
    audit_download,
    file_response,
    personal_check,
    register_scope,
    unit_name,
)
from requests_service.registers.rows import HEADERS, calendars, load_entries, register_row

router = APIRouter(tags=["requests"])

_NOT_READER = Text(
    "Anda tidak berwenang membaca register permohonan unit ini.",
    "You are not allowed to read this unit's register of requests.",
)


async def _register(
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root: uuid.UUID | None,
    unit_id: uuid.UUID | None,
    year: int,
    kind: RegisterFormat,
) -> Response:
    scope = register_scope(claims, tree, root, unit_id, _NOT_READER)
    entries = await load_entries(session, scope.root_id, scope.units, year)
    calendar_of = await calendars(session, entries)
    personal = personal_check(claims, tree, HANDLER_ROLES)
    rows = []
    for number, entry in enumerate(entries, start=1):
        unit = entry.request.unit_id
        rows.append(
            register_row(
                number,
                entry,
                personal=personal(unit),
                calendar=calendar_of(entry.request.root_id),
                unit_name=unit_name(tree, unit),
            )
        )
    await audit_download(
        session, claims, scope, action="register.read", object_type="request_register",
        year=year, kind=kind, rows=len(rows),
    )  # fmt: skip
    return file_response(
        kind,
        title=f"Register Permohonan {year}",
        stem=f"register-permohonan-{year}",
        headers=HEADERS,
        rows=rows,
    )


_DESCRIPTION = (
    "The register of requests of `unit_id` (and its sub-units) or of the whole `root` for "
    "`year` (DOMAIN.md 8.7), one row per request in registration order. For any reader "
    "official over the unit or root. Name, address, contact and occupation are shown only "
    "for requests of units the caller handles, `(disembunyikan)` otherwise; no NIK. "
    "Audited `register.read`."
)


@router.get(
    "/v1/requests/register.csv",
    summary="The register of requests, as CSV",
    description=_DESCRIPTION + " UTF-8 with a BOM, CRLF.",
    response_class=Response,
    responses=CSV_RESPONSES,
)
async def register_csv(
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    year: Year,
    root: Root = None,
    unit_id: UnitId = None,
) -> Response:
    return await _register(session, claims, tree, root, unit_id, year, RegisterFormat.CSV)


@router.get(
    "/v1/requests/register.xlsx",
    summary="The register of requests, as an Excel workbook",
    description=_DESCRIPTION + " One sheet `Register Permohonan {year}`.",
    response_class=Response,
    responses=XLSX_RESPONSES,
)
async def register_xlsx(
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    year: Year,
    root: Root = None,
    unit_id: UnitId = None,
) -> Response:
    return await _register(session, claims, tree, root, unit_id, year, RegisterFormat.XLSX)


# The register of objections (DOMAIN.md 10.4): `/v1/objections/register.csv|.xlsx`.
router.include_router(objection_routes.router)
