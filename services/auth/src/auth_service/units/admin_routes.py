"""Admins' writes to `/v1/units` (create, update, move, deactivate) and a unit's history."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from ppid_kit import idempotency, paging
from ppid_kit.cursor import next_link
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_etag, json_with_etag, require_if_match
from ppid_kit.problems import NOT_FOUND, ProblemError, problem_responses
from ppid_kit.tokens import CurrentClaims

from auth_service.permissions import NO_SUCH_UNIT, load_tree, require_official_of_root
from auth_service.units import repository, rules, service
from auth_service.units.models import Unit, UnitCreate, UnitPublic, UnitUpdate
from auth_service.units.versions import UnitVersionPage, UnitVersionPublic

router = APIRouter(prefix="/v1/units", tags=["units"])

UnitId = Annotated[uuid.UUID, Path(description="The unit's id.")]
_HEADER: dict[str, Any] = {"schema": {"type": "string"}}
_CREATED: dict[int | str, dict[str, Any]] = {
    201: {
        "headers": {
            "Location": {**_HEADER, "description": "The new unit."},
            "ETag": {**_HEADER, "description": "Send it back in `If-Match` to update."},
        }
    }
}


def unit_etag(unit: Unit) -> str:
    """The ETag `GET /v1/units/{id}` sends: the same bytes as `json_with_etag` hashes."""
    return json_etag(UnitPublic.model_validate(unit).model_dump(mode="json"))


@router.post(
    "",
    status_code=201,
    response_model=UnitPublic,
    summary="Create a unit below a parent",
    description=(
        "Admin over the parent (`ppid: utama` needs admin over the root and moves the "
        "designation from its former unit). Roots are made by the operator."
    ),
    responses={**_CREATED, **problem_responses(401, 403, 404, 409, 422)},
)
async def create_unit(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    body: UnitCreate,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:

    async def produce() -> idempotency.Outcome:
        unit = await service.create_unit(session, body, claims)
        content = UnitPublic.model_validate(unit).model_dump(mode="json")
        headers = {"Location": f"/v1/units/{unit.id}", "ETag": json_etag(content)}
        return idempotency.Outcome(201, content, headers)

    scope = f"auth:units:create:{claims.sub}"
    return await idempotency.respond_once(
        request, session, scope=scope, key=idempotency_key, produce=produce
    )


@router.patch(
    "/{unit_id}",
    response_model=UnitPublic,
    summary="Update, move, deactivate or reactivate a unit",
    description=(
        "Needs `If-Match`. Admin over the unit; a move (`parent_id`, within the root, never "
        "below itself) or `is_active` also needs admin over its parent (so never for a root), "
        "a move admin over the new parent. Deactivating a unit with active units below is a "
        "409. Each change is kept in the unit's history with `reason`."
    ),
    responses={
        200: {"headers": {"ETag": {**_HEADER, "description": "The new ETag."}}},
        **problem_responses(401, 403, 404, 409, 412, 422, 428),
    },
)
async def update_unit(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    unit_id: UnitId,
    body: UnitUpdate,
) -> Response:
    unit = await repository.lock_unit(session, unit_id)  # before the tree: see moves in flight
    if unit is None:
        raise ProblemError(NOT_FOUND, NO_SUCH_UNIT)
    tree = await load_tree(session)
    rules.authorize_update(claims, unit, service.plan_update(unit, body), tree)
    require_if_match(request, unit_etag(unit))
    unit = await service.apply_update(session, unit, body, claims)
    return paging.item_response(request, UnitPublic.model_validate(unit), unit.updated_at)


@router.get(
    "/{unit_id}/history",
    response_model=UnitVersionPage,
    summary="List a unit's changes, newest first",
    description="For officials of the unit's root (any role). Keyset-paginated.",
    responses={
        200: paging.LIST_RESPONSES[200],
        304: paging.LIST_RESPONSES[304],
        **problem_responses(400, 401, 403, 404),
    },
)
async def list_unit_history(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    page: paging.PagingDep,
    unit_id: UnitId,
) -> Response:
    tree = await load_tree(session)
    if unit_id not in tree:
        raise ProblemError(NOT_FOUND, NO_SUCH_UNIT)
    require_official_of_root(claims, tree.root_of(unit_id), tree)
    stmt = repository.select_versions(unit_id)
    found = await paging.keyset_page(session, stmt, repository.NEWEST_FIRST, page)
    items = [UnitVersionPublic.model_validate(row).model_dump(mode="json") for row in found.items]
    content = {"items": items, "next_cursor": found.next_cursor}
    link = {"Link": next_link(request, found.next_cursor)} if found.next_cursor else None
    # Not the public directory: only the caller's own cache may keep it.
    return json_with_etag(request, content, cache_control="private, no-cache", headers=link)
