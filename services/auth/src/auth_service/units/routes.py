"""`/v1/units`: the public directory of badan publik, their units and PPIDs."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from ppid_kit import paging
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag
from ppid_kit.problems import NOT_FOUND, ProblemError, problem_responses

from auth_service.permissions import NO_SUCH_UNIT
from auth_service.units import admin_routes, repository
from auth_service.units.models import UnitKind, UnitPage, UnitPublic, UnitTreePublic
from auth_service.units.repository import UnitFilter

directory = APIRouter(prefix="/v1/units", tags=["units"])


@directory.get(
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


# Declared before `/{unit_id}`, which would otherwise take "tree" for an id.
@directory.get(
    "/tree",
    response_model=UnitTreePublic,
    summary="The unit tree, whole (for other services' caches)",
    description=(
        "Every unit of `root` (of every root when omitted), inactive ones included, with a "
        "strong ETag: other services refresh their copy with `If-None-Match` and get `304` "
        "while nothing changed. The data is the public directory's, so no token is needed."
    ),
    responses={
        200: {
            "headers": {"ETag": {"description": "Strong validator.", "schema": {"type": "string"}}}
        },
        304: {"description": "Not modified: the tree is unchanged."},
        **problem_responses(404),
    },
)
async def get_unit_tree(
    request: Request,
    session: SessionDep,
    root: Annotated[uuid.UUID | None, Query(description="Only this root's units.")] = None,
) -> Response:
    units = await repository.tree_units(session, root)
    if root is not None and not units:
        raise ProblemError(NOT_FOUND, NO_SUCH_UNIT)
    tree = UnitTreePublic(root=root, units=[UnitPublic.model_validate(unit) for unit in units])
    # Always revalidate: a cached tree decides permissions in the other services.
    return json_with_etag(request, tree.model_dump(mode="json"), cache_control="no-cache")


@directory.get(
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
        raise ProblemError(NOT_FOUND, NO_SUCH_UNIT)
    return paging.item_response(request, UnitPublic.model_validate(unit), unit.updated_at)


# One router for main.py: the public reads, then the admins' writes and the history.
router = APIRouter()
router.include_router(directory)
router.include_router(admin_routes.router)
