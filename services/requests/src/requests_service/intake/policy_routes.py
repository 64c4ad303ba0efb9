"""`/v1/requests/policies/{root_id}`: a root's request policy (public read; PPID Utama or
admin of the root write, `If-Match` once a row exists; audited)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit.access import ADMIN, PPID_UTAMA, require_role, require_root
from ppid_kit.audit import write_audit
from ppid_kit.db import SessionDep, add_and_refresh
from ppid_kit.etag import etag_for, require_if_match
from ppid_kit.paging import ITEM_RESPONSES
from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text, problem_responses
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep

from requests_service.core.models import RequestPolicy
from requests_service.core.views import not_modified_with
from requests_service.intake import numbers
from requests_service.intake.policies import (
    RequestPolicyPublic,
    RequestPolicyUpdate,
    find_request_policy,
    get_request_policy,
)

router = APIRouter(tags=["requests"])

RootId = Annotated[uuid.UUID, Path(description="The root (badan publik).")]
_HEADER: dict[str, Any] = {"schema": {"type": "string"}}
_ETAG = {"ETag": {**_HEADER, "description": "Send it back in `If-Match` to replace it."}}
_NOT_EDITOR = Text(
    "Hanya PPID Utama atau admin badan publik ini yang dapat mengubah kebijakannya.",
    "Only the PPID Utama or an admin of this public body may change its policy.",
)
_FORMAT_PROBLEMS = {
    "syntax": Text("Format nomor tidak dapat dibaca.", "The number format cannot be parsed."),
    "fields": Text(
        "Hanya {root}, {unit}, {series}, {year} dan {seq} yang boleh dipakai.",
        "Only {root}, {unit}, {series}, {year} and {seq} may be used.",
    ),
    "required": Text(
        "Format nomor harus memuat {root}, {year} dan {seq}.",
        "The number format must contain {root}, {year} and {seq}.",
    ),
    "spec": Text("Format angka tidak valid (mis. {seq:05d}).", "Bad number spec (e.g. {seq:05d})."),
    "length": Text("Nomor yang dihasilkan terlalu panjang.", "The numbers would be too long."),
}


def policy_etag(policy: RequestPolicy) -> str:
    return etag_for(f"request-policy:{policy.root_id}:{policy.version}")


def check_number_format(number_format: str, root_id: uuid.UUID, tree: UnitTree) -> None:
    units = [numbers.unit_code(tree, unit) for unit in tree.subtree(root_id)]
    problem = numbers.format_problem(number_format, tree.node(root_id).code.upper(), units)
    if problem is not None:
        error = FieldError("number_format", _FORMAT_PROBLEMS[problem])
        raise ProblemError(VALIDATION, errors=[error])


@router.get(
    "/v1/requests/policies/{root_id}",
    response_model=RequestPolicyPublic,
    summary="Get a root's request policy",
    description="The numbering and identity rules of a root; the defaults (`version` 0) if unset.",
    responses=ITEM_RESPONSES,
)
async def get_request_policy_of_root(
    request: Request, session: SessionDep, tree: UnitTreeDep, root_id: RootId
) -> Response:
    require_root(root_id, tree)
    policy = await get_request_policy(session, root_id)
    etag = policy_etag(policy)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=60"}
    cached = not_modified_with(request, headers)
    if cached is not None:
        return cached
    return JSONResponse(RequestPolicyPublic.of(policy).model_dump(mode="json"), headers=headers)


@router.put(
    "/v1/requests/policies/{root_id}",
    response_model=RequestPolicyPublic,
    summary="Set a root's request policy",
    description=(
        "The PPID Utama or an admin of the root. Needs `If-Match` (the ETag of the GET) once "
        "the root has a policy; 201 when it is the first. `number_format` must contain "
        "`{root}`, `{year}` and `{seq}`; it applies to the numbers issued from then on."
    ),
    responses={
        200: {"headers": _ETAG},
        201: {"headers": _ETAG, "description": "The root's first policy."},
        **problem_responses(401, 403, 404, 412, 422, 428),
    },
)
async def put_request_policy(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    body: RequestPolicyUpdate,
) -> Response:
    require_root(root_id, tree)
    actor = require_role(claims, (PPID_UTAMA, ADMIN), root_id, tree, _NOT_EDITOR)
    policy = await find_request_policy(session, root_id, lock=True)
    if policy is not None:
        require_if_match(request, policy_etag(policy))
    check_number_format(body.number_format, root_id, tree)
    created = policy is None
    if policy is None:
        policy = RequestPolicy(root_id=root_id, version=0)
    for name, value in body.model_dump().items():
        setattr(policy, name, value)
    policy.version += 1
    policy = await add_and_refresh(session, policy)
    await write_audit(
        session,
        action="request_policy.set",
        object_type="request_policy",
        object_id=root_id,
        actor_id=actor.user_id,
        actor_type=actor.role,
        unit_id=root_id,
        details=body.model_dump(mode="json"),
    )
    shown = RequestPolicyPublic.of(policy).model_dump(mode="json")
    headers = {"ETag": policy_etag(policy)}
    return JSONResponse(shown, status_code=201 if created else 200, headers=headers)
