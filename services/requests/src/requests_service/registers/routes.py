"""`GET /v1/requests/register.csv|.xlsx`: the register of requests (DOMAIN.md 8.7).

For reader officials of the unit asked (its sub-units included) or of the root: one
row per request received in the year (local year of `received_at`), in registration
order. The personal columns are filled only where the caller handles the request's
unit (DOMAIN.md 17); every download is audited `register.read` (no personal data).
Mounted before tracking: `/v1/requests/{request_id}` would otherwise take the path.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response
from ppid_kit.access import require_known, require_root, strongest_role, subject_id
from ppid_kit.audit import write_audit
from ppid_kit.db import SessionDep
from ppid_kit.problems import (
    FORBIDDEN,
    VALIDATION,
    FieldError,
    ProblemError,
    Text,
    problem_responses,
)
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep

from requests_service.core.access import HANDLER_ROLES, READER_ROLES, covers
from requests_service.registers import formats
from requests_service.registers.rows import HEADERS, calendars, load_entries, register_row

router = APIRouter(tags=["requests"])

_NOT_READER = Text(
    "Anda tidak berwenang membaca register permohonan unit ini.",
    "You are not allowed to read this unit's register of requests.",
)
_SCOPE_NEEDED = Text("Sebutkan `root` atau `unit_id`.", "Give `root` or `unit_id`.")
_UNIT_OUTSIDE_ROOT = Text(
    "Unit tidak termasuk badan publik ini.", "The unit is not part of this public body."
)


class RegisterFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


Root = Annotated[uuid.UUID | None, Query(description="The whole badan publik (root unit id).")]
UnitId = Annotated[uuid.UUID | None, Query(description="This unit and its sub-units.")]
Year = Annotated[int, Query(ge=2008, le=2100, description="Local year of receipt.")]

_FILE_RESPONSE = {
    "headers": {
        "Content-Disposition": {"schema": {"type": "string"}},
        "Cache-Control": {"schema": {"type": "string"}},
    }
}


async def _register(
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root: uuid.UUID | None,
    unit_id: uuid.UUID | None,
    year: int,
    kind: RegisterFormat,
) -> Response:
    if unit_id is None and root is None:
        raise ProblemError(VALIDATION, errors=[FieldError("query.unit_id", _SCOPE_NEEDED)])
    if unit_id is not None:
        require_known(unit_id, tree)
        if root is not None and tree.root_of(unit_id) != root:
            raise ProblemError(VALIDATION, errors=[FieldError("query.unit_id", _UNIT_OUTSIDE_ROOT)])
        scope = unit_id
    else:
        assert root is not None
        require_root(root, tree)
        scope = root
    role = strongest_role(claims, READER_ROLES, scope, tree)
    if role is None:
        raise ProblemError(FORBIDDEN, _NOT_READER)
    root_id = tree.root_of(scope)
    entries = await load_entries(session, root_id, tree.subtree(scope), year)
    calendar_of = await calendars(session, entries)
    handled: dict[uuid.UUID, bool] = {}
    rows = []
    for number, entry in enumerate(entries, start=1):
        unit = entry.request.unit_id
        if unit not in handled:
            handled[unit] = covers(claims, unit, tree, HANDLER_ROLES)
        name = tree.node(unit).name if unit in tree else ""
        rows.append(
            register_row(
                number,
                entry,
                personal=handled[unit],
                calendar=calendar_of(entry.request.root_id),
                unit_name=name or str(unit),
            )
        )
    await write_audit(
        session,
        action="register.read",
        object_type="request_register",
        object_id=str(scope),
        actor_id=subject_id(claims),
        actor_type=f"official:{role}",
        unit_id=scope,
        details={
            "root": str(root_id),
            "unit": None if unit_id is None else str(unit_id),
            "year": year,
            "format": kind.value,
            "rows": len(rows),
        },
    )
    if kind is RegisterFormat.CSV:
        content, media_type = formats.csv_bytes(HEADERS, rows), formats.CSV_MEDIA_TYPE
    else:
        title = f"Register Permohonan {year}"
        content, media_type = formats.xlsx_bytes(title, HEADERS, rows), formats.XLSX_MEDIA_TYPE
    filename = f"register-permohonan-{year}.{kind.value}"
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(content, media_type=media_type, headers=headers)


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
    responses={
        200: {"content": {"text/csv": {}}, **_FILE_RESPONSE},
        **problem_responses(401, 403, 404, 422),
    },
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
    responses={
        200: {"content": {formats.XLSX_MEDIA_TYPE: {}}, **_FILE_RESPONSE},
        **problem_responses(401, 403, 404, 422),
    },
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
