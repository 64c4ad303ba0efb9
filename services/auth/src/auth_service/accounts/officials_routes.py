"""`/v1/auth/officials`: admins create officials and see those of their subtree."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from ppid_kit import idempotency, paging
from ppid_kit.cursor import next_link
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag
from ppid_kit.problems import problem_responses
from ppid_kit.tokens import CurrentClaims

from auth_service.accounts import officials, repository
from auth_service.accounts.deps import PRIVATE
from auth_service.accounts.schemas import OfficialCreate, OfficialPage, UserPublic
from auth_service.permissions import load_tree, require_admin_over

router = APIRouter(prefix="/officials")

UserId = Annotated[uuid.UUID, Path(description="The official's id.")]


@router.post(
    "",
    status_code=201,
    response_model=UserPublic,
    summary="Create an official with an initial password and first grants",
    description="The caller must be admin over the unit of every grant asked for.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_official(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    body: OfficialCreate,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:

    async def produce() -> idempotency.Outcome:
        created = await officials.create_official(session, claims, body, await load_tree(session))
        headers = {"Location": f"/v1/auth/officials/{created.id}", "Cache-Control": "no-store"}
        return idempotency.Outcome(201, created.model_dump(mode="json"), headers)

    scope = f"auth:officials:create:{claims.sub}"
    return await idempotency.respond_once(
        request, session, scope=scope, key=idempotency_key, produce=produce
    )


@router.get(
    "",
    response_model=OfficialPage,
    summary="List the officials holding grants in the caller's subtree",
    description="Admins only; name order, keyset-paginated; each with the grants in view.",
    responses={**paging.LIST_RESPONSES, **problem_responses(401, 403, 404)},
)
async def list_officials(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    page: paging.PagingDep,
    unit_id: Annotated[
        uuid.UUID | None, Query(description="Only officials with grants in this unit's subtree.")
    ] = None,
) -> Response:
    tree = await load_tree(session)
    units = officials.admin_scope(claims, tree)
    if unit_id is not None:
        require_admin_over(claims, unit_id, tree, hidden=True)
        units &= tree.subtree(unit_id)
    stmt = repository.select_officials(units)
    found = await paging.keyset_page(session, stmt, repository.BY_NAME, page)
    items = await officials.page_items(session, found.items, units)
    content = {
        "items": [i.model_dump(mode="json") for i in items],
        "next_cursor": found.next_cursor,
    }
    headers = {"Link": next_link(request, found.next_cursor)} if found.next_cursor else None
    return json_with_etag(request, content, cache_control=PRIVATE, headers=headers)


@router.get(
    "/{user_id}",
    response_model=UserPublic,
    summary="Get one official with their grants (past ones too) in the caller's subtree",
    responses={**paging.ITEM_RESPONSES, **problem_responses(401, 403)},
)
async def get_official(
    request: Request, session: SessionDep, claims: CurrentClaims, user_id: UserId
) -> Response:
    tree = await load_tree(session)
    found = await officials.visible_official(session, claims, user_id, tree)
    return json_with_etag(request, found.model_dump(mode="json"), cache_control=PRIVATE)
