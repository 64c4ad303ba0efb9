"""A root's working-day policy and the seed from the `holidays` package (DOMAIN.md 14)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit import paging
from ppid_kit.access import require_root
from ppid_kit.audit import write_audit
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag, require_if_match
from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text, problem_responses
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep

from requests_service.calendar import repository, seed
from requests_service.calendar.access import (
    require_calendar_editor,
    root_time_zone,
    tree_if_reachable,
)
from requests_service.calendar.schemas import (
    CalendarPolicyPublic,
    CalendarPolicyUpdate,
    SeedDiff,
    SeedRequest,
)
from requests_service.calendar.service import (
    bump_version,
    default_policy,
    get_policy,
    policy_public,
    representation_etag,
    save_policy,
)

router = APIRouter()

RootId = Annotated[uuid.UUID, Path(description="The root (badan publik).")]
_HEADER: dict[str, Any] = {"schema": {"type": "string"}}
_ETAG = {"ETag": {**_HEADER, "description": "Send it back in `If-Match` to replace it."}}
_HOURS = Text(
    "Akhir jam layanan harus setelah awalnya.", "The end of service hours must follow their start."
)
_LOCAL_TIME = Text(
    "Jam lokal tanpa zona waktu (zona waktu ada di `time_zone`).",
    "A local time without an offset (the zone is `time_zone`).",
)
_TWICE = Text("Setiap hari cukup disebut sekali.", "Name each day once.")


def check_policy(body: CalendarPolicyUpdate) -> None:
    """What the field types cannot say: local times, start before end, each day once."""
    errors = [
        FieldError(name, _LOCAL_TIME)
        for name in ("service_start", "service_end")
        if getattr(body, name).tzinfo is not None
    ]
    if not errors and body.service_start >= body.service_end:
        errors.append(FieldError("service_end", _HOURS))
    if len(set(body.weekend_days)) != len(body.weekend_days):
        errors.append(FieldError("weekend_days", _TWICE))
    if errors:
        raise ProblemError(VALIDATION, errors=errors)


@router.get(
    "/{root_id}/policy",
    response_model=CalendarPolicyPublic,
    summary="Get a root's working-day policy",
    description=(
        "Public. Weekend days, whether cuti bersama stops the clock, service hours, the time "
        "zone and the calendar `version`. Without a policy the defaults (version 0, the "
        "root's zone from auth)."
    ),
    responses=paging.ITEM_RESPONSES,
)
async def get_calendar_policy(request: Request, session: SessionDep, root_id: RootId) -> Response:
    tree = await tree_if_reachable(request)
    if tree is not None:
        require_root(root_id, tree)
    policy = await get_policy(session, root_id)
    shown = policy or default_policy(root_id, root_time_zone(tree, root_id))
    return json_with_etag(request, policy_public(shown).model_dump(mode="json"))


@router.put(
    "/{root_id}/policy",
    response_model=CalendarPolicyPublic,
    summary="Set a root's working-day policy",
    description=(
        "The PPID Utama or an admin of the root. Needs `If-Match` (the ETag of the GET) once "
        "the root has a policy; 201 when it is the first. A change bumps the calendar "
        "`version`; stored deadlines move only through `POST …/recalculate`."
    ),
    responses={
        200: {"headers": _ETAG},
        201: {"headers": _ETAG, "description": "The root's first policy."},
        **problem_responses(401, 403, 404, 412, 422, 428),
    },
)
async def put_calendar_policy(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    body: CalendarPolicyUpdate,
) -> Response:
    actor = require_calendar_editor(claims, root_id, tree)
    check_policy(body)
    await repository.lock_calendar(session, root_id)
    policy = await get_policy(session, root_id)
    created = policy is None
    if policy is None:
        policy = default_policy(root_id, root_time_zone(tree, root_id))
    else:
        require_if_match(request, representation_etag(policy_public(policy)))
    wanted = {**body.model_dump(), "weekend_days": sorted(body.weekend_days)}
    if created or any(getattr(policy, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(policy, name, value)
        policy.version += 1
        policy = await save_policy(session, policy)
        await write_audit(
            session,
            action="calendar_policy.set",
            object_type="calendar_policy",
            object_id=root_id,
            actor_id=actor.user_id,
            actor_type=f"official:{actor.role}",
            unit_id=root_id,
            details={**body.model_dump(mode="json"), "version": policy.version},
        )
    shown = policy_public(policy)
    return JSONResponse(
        shown.model_dump(mode="json"),
        status_code=201 if created else 200,
        headers={"ETag": representation_etag(shown)},
    )


@router.post(
    "/{root_id}/seed",
    response_model=SeedDiff,
    summary="Seed a year of holidays and cuti bersama from the `holidays` package",
    description=(
        "The PPID Utama or an admin of the root. Adds the package's public holidays and cuti "
        "bersama (its government category) of `year` that the root's calendar lacks; never "
        "changes or re-adds what an admin confirmed, corrected or removed, and reports the "
        "diff. The calendar `version` is bumped only when days were added."
    ),
    responses=problem_responses(401, 403, 404, 422),
)
async def seed_calendar(
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    body: SeedRequest,
) -> SeedDiff:
    actor = require_calendar_editor(claims, root_id, tree)
    await repository.lock_calendar(session, root_id)
    done = await seed.seed_year(session, root_id, body.year)
    if done.added:
        version = (await bump_version(session, root_id, root_time_zone(tree, root_id))).version
    else:
        policy = await get_policy(session, root_id)
        version = 0 if policy is None else policy.version
    diff = done.diff(root_id, body.year, version)
    await write_audit(
        session,
        action="calendar.seed",
        object_type="calendar",
        object_id=root_id,
        actor_id=actor.user_id,
        actor_type=f"official:{actor.role}",
        unit_id=root_id,
        details={
            "year": body.year,
            "source": diff.source,
            "calendar_version": version,
            "added": [day.date.isoformat() for day in done.added],
            "differing": len(done.differing),
            "only_in_table": len(done.only_in_table),
            "removed_by_admin": len(done.removed_by_admin),
        },
    )
    return diff
