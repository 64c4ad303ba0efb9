"""`/v1/auth/officials/{user_id}/grants`: admins grant and revoke roles within their subtree."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from ppid_kit import idempotency
from ppid_kit.db import SessionDep
from ppid_kit.problems import problem_responses
from ppid_kit.tokens import CurrentClaims

from auth_service.grants import service
from auth_service.grants.models import GrantCreate, GrantPublic
from auth_service.permissions import load_tree

router = APIRouter(prefix="/v1/auth/officials/{user_id}/grants", tags=["grants"])

UserId = Annotated[uuid.UUID, Path(description="The official's id.")]
GrantId = Annotated[uuid.UUID, Path(description="The grant's id.")]


@router.post(
    "",
    status_code=201,
    response_model=GrantPublic,
    summary="Grant a role at a unit to an official",
    description=(
        "The caller must be admin over the unit (a role at a unit covers its subtree). "
        "The token of the official carries the grant from its next refresh or login."
    ),
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def add_grant(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    user_id: UserId,
    body: GrantCreate,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:

    async def produce() -> idempotency.Outcome:
        tree = await load_tree(session)
        user = await service.official(session, user_id)
        row = await service.grant(session, claims, user, body.role, body.unit_id, tree)
        public = GrantPublic.model_validate(row, from_attributes=True)
        return idempotency.Outcome(201, public.model_dump(mode="json"))

    scope = f"auth:grants:add:{claims.sub}"
    return await idempotency.respond_once(
        request, session, scope=scope, key=idempotency_key, produce=produce
    )


@router.delete(
    "/{grant_id}",
    status_code=204,
    summary="Revoke a grant (kept as history)",
    description="The caller must be admin over the grant's unit. Revoking twice is harmless.",
    responses=problem_responses(401, 403, 404, 409),
)
async def revoke_grant(
    session: SessionDep, claims: CurrentClaims, user_id: UserId, grant_id: GrantId
) -> Response:
    tree = await load_tree(session)
    await service.revoke(session, claims, user_id, grant_id, tree)
    return Response(status_code=204)
