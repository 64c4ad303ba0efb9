"""`/v1/units`: the public directory of badan publik, their units and PPIDs."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from ppid_kit import paging
from ppid_kit.db import SessionDep
from ppid_kit.problems import NOT_FOUND, ProblemError, Text

from auth_service.units import repository
from auth_service.units.models import UnitKind, UnitPage, UnitPublic
from auth_service.units.repository import UnitFilter

router = APIRouter(prefix="/v1/units", tags=["units"])

_NO_SUCH_UNIT = Text("Unit tidak ditemukan.", "No such unit.")


@router.get(
    "",
    response_model=UnitPage,
    summary="List units (the public directory of PPIDs)",
    description="Units in name order, keyset-paginated; filter by root, kind, parent or name.",
    responses=paging.LIST_RESPONSES,
)
async def list_units(
    request: Request,
    session: SessionDep,
    page: paging.PagingDep,
    root: Annotated[
        uuid.UUID | None, Query(description="Only units of this root (badan publik).")
    ] = None,
    kind: Annotated[UnitKind | None, Query(description="Only units of this kind.")] = None,
    parent_id: Annotated[
        uuid.UUID | None, Query(description="Only direct children of this unit.")
    ] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Part of the name, any case.")
    ] = None,
    is_active: Annotated[bool | None, Query(description="Only active (or inactive) units.")] = None,
) -> Response:
    filters = UnitFilter(root=root, kind=kind, parent_id=parent_id, q=q, is_active=is_active)
    stmt = repository.select_units(filters)
    found = await paging.keyset_page(session, stmt, repository.BY_NAME, page)
    return paging.page_response(request, found.map(UnitPublic.model_validate))


@router.get(
    "/{unit_id}",
    response_model=UnitPublic,
    summary="Get one unit",
    responses=paging.ITEM_RESPONSES,
)
async def get_unit(
    request: Request,
    session: SessionDep,
    unit_id: Annotated[uuid.UUID, Path(description="The unit's id.")],
) -> Response:
    unit = await repository.get_unit(session, unit_id)
    if unit is None:
        raise ProblemError(NOT_FOUND, _NO_SUCH_UNIT)
    return paging.item_response(request, UnitPublic.model_validate(unit), unit.updated_at)
