"""What the registers share: the scope asked (`root` or `unit_id`), the reader check, the
audit record of a download and the file response (CSV or XLSX, formula-guarded)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Query, Request, Response
from ppid_kit.access import require_known, require_root, strongest_role, subject_id
from ppid_kit.audit import write_audit
from ppid_kit.etag import etag_for, not_modified
from ppid_kit.problems import (
    FORBIDDEN,
    VALIDATION,
    FieldError,
    ProblemError,
    Text,
    problem_responses,
)
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.core.access import READER_ROLES, covers
from requests_service.registers import formats

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

FILE_RESPONSE: dict[str, Any] = {
    "headers": {
        "Content-Disposition": {"schema": {"type": "string"}},
        "Cache-Control": {"schema": {"type": "string"}},
    }
}
CSV_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, **FILE_RESPONSE},
    **problem_responses(401, 403, 404, 422),
}
XLSX_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {formats.XLSX_MEDIA_TYPE: {}}, **FILE_RESPONSE},
    **problem_responses(401, 403, 404, 422),
}


@dataclass(frozen=True)
class Scope:
    """The unit (or root) asked, its root, its units, and the caller's strongest reader role."""

    unit: uuid.UUID
    root_id: uuid.UUID
    units: set[uuid.UUID]
    role: str
    unit_asked: uuid.UUID | None


def register_scope(
    claims: Claims,
    tree: UnitTree,
    root: uuid.UUID | None,
    unit_id: uuid.UUID | None,
    refused: Text,
) -> Scope:
    """422 without a scope or with a unit of another root, 404 unknown, 403 not a reader."""
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
        raise ProblemError(FORBIDDEN, refused)
    return Scope(scope, tree.root_of(scope), tree.subtree(scope), role, unit_id)


def received_in_year(model: Any, root_id: uuid.UUID, unit_ids: set[uuid.UUID], year: int) -> Any:
    """Rows of `model` (requests, objections) of the root's `unit_ids` received in `year`,
    local to each row's own time zone."""
    local_received = sa.func.timezone(col(model.time_zone), col(model.received_at))
    return sa.and_(
        col(model.root_id) == root_id,
        col(model.unit_id).in_(unit_ids),
        sa.extract("year", local_received) == year,
    )


def registration_order(model: Any) -> tuple[Any, ...]:
    """The order of the register: the registration number (year, then sequence)."""
    return col(model.year), col(model.seq), col(model.id)


def personal_check(
    claims: Claims, tree: UnitTree, roles: Sequence[str]
) -> Callable[[uuid.UUID], bool]:
    """Whether the caller handles a unit (`roles` over it), so sees the identity columns of
    its rows (DOMAIN.md 17); asked once per unit of the register."""

    @cache
    def personal(unit: uuid.UUID) -> bool:
        return covers(claims, unit, tree, roles)

    return personal


async def audit_download(
    session: AsyncSession,
    claims: Claims,
    scope: Scope,
    *,
    action: str,
    object_type: str,
    year: int,
    kind: RegisterFormat,
    rows: int,
) -> None:
    await write_audit(
        session,
        action=action,
        object_type=object_type,
        object_id=str(scope.unit),
        actor_id=subject_id(claims),
        actor_type=f"official:{scope.role}",
        unit_id=scope.unit,
        details={
            "root": str(scope.root_id),
            "unit": None if scope.unit_asked is None else str(scope.unit_asked),
            "year": year,
            "format": kind.value,
            "rows": rows,
        },
    )


def file_response(
    kind: RegisterFormat, *, title: str, stem: str, headers: list[str], rows: list[list[str]]
) -> Response:
    """The register as an attachment, never cached by a shared cache."""
    if kind is RegisterFormat.CSV:
        content, media_type = formats.csv_bytes(headers, rows), formats.CSV_MEDIA_TYPE
    else:
        content, media_type = formats.xlsx_bytes(title, headers, rows), formats.XLSX_MEDIA_TYPE
    response_headers = {
        "Content-Disposition": f'attachment; filename="{stem}.{kind.value}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(content, media_type=media_type, headers=response_headers)


def download_with_etag(
    request: Request, body: bytes, *, media_type: str, headers: dict[str, str], filename: str
) -> Response:
    """A generated file (an attachment named `filename`) with the ETag of its bytes; 304
    with the same headers when the caller holds it already."""
    etag = etag_for(body)
    disposition = f'attachment; filename="{filename}"'
    headers = {"ETag": etag, **headers, "Content-Disposition": disposition}
    cached = not_modified(request, etag)
    if cached is not None:
        cached.headers.update(headers)
        return cached
    return Response(body, media_type=media_type, headers=headers)


def unit_name(tree: UnitTree, unit: uuid.UUID) -> str:
    name = tree.node(unit).name if unit in tree else ""
    return name or str(unit)
