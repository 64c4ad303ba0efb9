"""`GET /v1/objections/register.csv|.xlsx`: the register of objections (DOMAIN.md 10.4).

For reader officials of the unit asked (its sub-units included) or of the root, like the
register of requests: one row per objection received in the year, in registration
order. The identity of the requester and the agent is filled only where the caller
handles the objection's unit, the Atasan PPID who decides it included (DOMAIN.md 17);
every download is audited `objection_register.read` (no personal data). Included in the
registers router, mounted before `/v1/objections/{objection_id}`.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from ppid_kit.access import ATASAN_PPID
from ppid_kit.db import SessionDep
from ppid_kit.problems import Text
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep

from requests_service.core.access import HANDLER_ROLES
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
from requests_service.registers.objection_rows import HEADERS, load_objections, objection_row

router = APIRouter(tags=["objections"])

# The Atasan PPID receives the objection form and decides it (UU Pasal 36): a handler here.
PERSONAL_ROLES = (*HANDLER_ROLES, ATASAN_PPID)
_NOT_READER = Text(
    "Anda tidak berwenang membaca register keberatan unit ini.",
    "You are not allowed to read this unit's register of objections.",
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
    entries = await load_objections(session, scope.root_id, scope.units, year)
    personal = personal_check(claims, tree, PERSONAL_ROLES)
    rows = []
    for number, entry in enumerate(entries, start=1):
        unit = entry.objection.unit_id
        name = unit_name(tree, unit)
        rows.append(objection_row(number, entry, personal=personal(unit), unit_name=name))
    await audit_download(
        session, claims, scope, action="objection_register.read",
        object_type="objection_register", year=year, kind=kind, rows=len(rows),
    )  # fmt: skip
    return file_response(
        kind,
        title=f"Register Keberatan {year}",
        stem=f"register-keberatan-{year}",
        headers=HEADERS,
        rows=rows,
    )


_DESCRIPTION = (
    "The register of objections of `unit_id` (and its sub-units) or of the whole `root` for "
    "`year` (DOMAIN.md 10.4), one row per objection in registration order, with its state "
    "and due dates. For any reader official over the unit or root. The identity of the "
    "requester and agent is shown only for objections of units the caller handles (PPID, "
    "petugas, Atasan PPID), `(disembunyikan)` otherwise. Audited `objection_register.read`."
)


@router.get(
    "/v1/objections/register.csv",
    summary="The register of objections, as CSV",
    description=_DESCRIPTION + " UTF-8 with a BOM, CRLF.",
    response_class=Response,
    responses=CSV_RESPONSES,
)
async def objection_register_csv(
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    year: Year,
    root: Root = None,
    unit_id: UnitId = None,
) -> Response:
    return await _register(session, claims, tree, root, unit_id, year, RegisterFormat.CSV)


@router.get(
    "/v1/objections/register.xlsx",
    summary="The register of objections, as an Excel workbook",
    description=_DESCRIPTION + " One sheet `Register Keberatan {year}`.",
    response_class=Response,
    responses=XLSX_RESPONSES,
)
async def objection_register_xlsx(
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    year: Year,
    root: Root = None,
    unit_id: UnitId = None,
) -> Response:
    return await _register(session, claims, tree, root, unit_id, year, RegisterFormat.XLSX)
