"""A root's DIP policy (who publishes) and its yearly DIP decrees (SK penetapan DIP)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit import paging
from ppid_kit.audit import write_audit
from ppid_kit.db import SessionDep, add_and_refresh
from ppid_kit.etag import json_etag, json_with_etag, require_if_match
from ppid_kit.problems import NOT_FOUND, ProblemError, Text, problem_responses
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep

from registry_service import repository
from registry_service.access import require_policy_editor, require_ppid_utama, require_root
from registry_service.entries.public_routes import tree_if_reachable
from registry_service.models import (
    DipDecree,
    DipDecreePage,
    DipDecreePublic,
    DipDecreeUpdate,
    DipPolicy,
    DipPolicyPublic,
    DipPolicyUpdate,
    PublishMode,
)

router = APIRouter(tags=["dip"])

RootId = Annotated[uuid.UUID, Path(description="The root (badan publik).")]
Year = Annotated[int, Path(ge=1900, le=2999, description="The year the decree sets the DIP of.")]
_HEADER: dict[str, Any] = {"schema": {"type": "string"}}
_ETAG = {"ETag": {**_HEADER, "description": "Send it back in `If-Match` to replace it."}}
_NO_SUCH_DECREE = Text("Keputusan penetapan DIP tidak ditemukan.", "No such DIP decree.")


def _policy_public(root_id: uuid.UUID, policy: DipPolicy | None) -> DipPolicyPublic:
    if policy is None:  # no row: the defaults (DipPolicy's column defaults)
        return DipPolicyPublic(
            root_id=root_id,
            publish_mode=PublishMode.VERIFY,
            dik_public=True,
            berkala_stale_days=30,
            updated_at=None,
        )
    return DipPolicyPublic.model_validate(policy)


def _etag(model: DipPolicyPublic | DipDecreePublic) -> str:
    """The GET's ETag (`json_with_etag`), so a PUT's `If-Match` can quote it."""
    return json_etag(model.model_dump(mode="json"))


@router.get(
    "/v1/dip/policies/{root_id}",
    response_model=DipPolicyPublic,
    summary="Get a root's DIP policy",
    description="Who publishes the root's entries; the defaults (`updated_at` null) when unset.",
    responses=paging.ITEM_RESPONSES,
)
async def get_dip_policy(request: Request, session: SessionDep, root_id: RootId) -> Response:
    tree = await tree_if_reachable(request)
    if tree is not None:
        require_root(root_id, tree)
    shown = _policy_public(root_id, await repository.get_policy(session, root_id))
    return json_with_etag(request, shown.model_dump(mode="json"))


@router.put(
    "/v1/dip/policies/{root_id}",
    response_model=DipPolicyPublic,
    summary="Set a root's DIP policy",
    description=(
        "The PPID Utama or an admin of the root. Needs `If-Match` (the ETag of "
        "`GET /v1/dip/policies/{root_id}`) once the root has a policy; 201 when it is the first."
    ),
    responses={
        200: {"headers": _ETAG},
        201: {"headers": _ETAG, "description": "The root's first policy."},
        **problem_responses(401, 403, 404, 412, 422, 428),
    },
)
async def put_dip_policy(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    body: DipPolicyUpdate,
) -> Response:
    actor = require_policy_editor(claims, root_id, tree)
    policy = await repository.get_policy(session, root_id, lock=True)
    created = policy is None
    if policy is None:
        policy = DipPolicy(root_id=root_id)
    else:
        require_if_match(request, _etag(_policy_public(root_id, policy)))
    for name, value in body.model_dump().items():
        setattr(policy, name, value)
    policy.updated_by = actor.user_id
    session.add(policy)
    await session.flush()
    await session.refresh(policy)
    await write_audit(
        session,
        action="dip_policy.set",
        object_type="dip_policy",
        object_id=root_id,
        actor_id=actor.user_id,
        actor_type=actor.role,
        unit_id=root_id,
        details=body.model_dump(mode="json"),
    )
    shown = _policy_public(root_id, policy)
    return JSONResponse(
        shown.model_dump(mode="json"),
        status_code=201 if created else 200,
        headers={"ETag": _etag(shown)},
    )


@router.get(
    "/v1/dip/decrees",
    response_model=DipDecreePage,
    summary="List DIP decrees",
    description="The yearly decrees setting the DIP (SK penetapan DIP), newest year first.",
    responses=paging.LIST_RESPONSES,
)
async def list_dip_decrees(
    request: Request,
    session: SessionDep,
    page: paging.PagingDep,
    root: Annotated[uuid.UUID | None, Query(description="Only this root's decrees.")] = None,
) -> Response:
    stmt = repository.select_decrees(root)
    found = await paging.keyset_page(session, stmt, repository.DECREES_NEWEST_FIRST, page)
    return paging.page_response(request, found.map(DipDecreePublic.model_validate))


@router.get(
    "/v1/dip/decrees/{root_id}/{year}",
    response_model=DipDecreePublic,
    summary="Get a root's DIP decree of a year",
    responses=paging.ITEM_RESPONSES,
)
async def get_dip_decree(
    request: Request, session: SessionDep, root_id: RootId, year: Year
) -> Response:
    decree = await repository.get_decree(session, root_id, year)
    if decree is None:
        raise ProblemError(NOT_FOUND, _NO_SUCH_DECREE)
    return paging.item_response(request, DipDecreePublic.model_validate(decree), decree.updated_at)


@router.put(
    "/v1/dip/decrees/{root_id}/{year}",
    response_model=DipDecreePublic,
    summary="Record a root's DIP decree of a year",
    description=(
        "The PPID Utama of the root records the decree's number, date and signatory. Needs "
        "`If-Match` (the ETag of `GET /v1/dip/decrees/{root_id}/{year}`) to replace one; 201 "
        "when it is new."
    ),
    responses={
        200: {"headers": _ETAG},
        201: {"headers": _ETAG, "description": "The year's first decree."},
        **problem_responses(401, 403, 404, 412, 422, 428),
    },
)
async def put_dip_decree(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    year: Year,
    body: DipDecreeUpdate,
) -> Response:
    require_root(root_id, tree)
    actor = require_ppid_utama(claims, root_id, tree)
    decree = await repository.get_decree(session, root_id, year, lock=True)
    created = decree is None
    if decree is None:
        decree = DipDecree(root_id=root_id, year=year, number=body.number, decree_date=date.min)
    else:
        require_if_match(request, _etag(DipDecreePublic.model_validate(decree)))
    for name, value in body.model_dump().items():
        setattr(decree, name, value)
    decree.recorded_by = actor.user_id
    decree = await add_and_refresh(session, decree)
    await write_audit(
        session,
        action="dip_decree.record",
        object_type="dip_decree",
        object_id=decree.id,
        actor_id=actor.user_id,
        actor_type=actor.role,
        unit_id=root_id,
        details={"year": year, "number": body.number, "decree_date": str(body.decree_date)},
    )
    shown = DipDecreePublic.model_validate(decree)
    headers = {"ETag": _etag(shown)}
    if created:
        headers["Location"] = f"/v1/dip/decrees/{root_id}/{year}"
    return JSONResponse(
        shown.model_dump(mode="json"), status_code=201 if created else 200, headers=headers
    )
