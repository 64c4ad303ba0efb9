"""A root's calendar days: closures, extra working days, holidays and cuti bersama the
package lacks, and the confirmation of estimated dates once the SKB is out (DOMAIN.md 14.3)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit import idempotency, paging
from ppid_kit.access import require_root
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag, require_if_match
from ppid_kit.problems import NOT_FOUND, ProblemError, problem_responses
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.calendar import days, repository
from requests_service.calendar.access import (
    require_calendar_editor,
    root_time_zone,
    tree_if_reachable,
)
from requests_service.calendar.models import CalendarDay, CalendarDayPublic
from requests_service.calendar.schemas import (
    CalendarDayConfirm,
    CalendarDayCreate,
    CalendarDayUpdate,
)
from requests_service.calendar.service import representation_etag

router = APIRouter()

RootId = Annotated[uuid.UUID, Path(description="The root (badan publik).")]
DayId = Annotated[uuid.UUID, Path(description="The calendar day's id.")]
_HEADER: dict[str, Any] = {"schema": {"type": "string"}}
_ETAG = {"ETag": {**_HEADER, "description": "Send it back in `If-Match` to change the day."}}
_CHANGED: dict[int | str, dict[str, Any]] = {200: {"headers": _ETAG}}
_VERSIONED = " Bumps the root's calendar `version` (stored deadlines stay until a recalculation)."
_OPTIONAL_IF_MATCH = " Optional `If-Match`: when sent, it must be the day's current ETag."


def _etag(day: CalendarDay) -> str:
    return representation_etag(CalendarDayPublic.model_validate(day))


def _day_response(day: CalendarDay, status_code: int = 200, **headers: str) -> JSONResponse:
    shown = CalendarDayPublic.model_validate(day)
    return JSONResponse(
        shown.model_dump(mode="json"),
        status_code=status_code,
        headers={"ETag": representation_etag(shown), **headers},
    )


async def _locked_day(session: AsyncSession, root_id: uuid.UUID, day_id: uuid.UUID) -> CalendarDay:
    """The day, with the root's calendar locked until the transaction ends (404: none)."""
    await repository.lock_calendar(session, root_id)
    day = await repository.get_day(session, root_id, day_id)
    if day is None:
        raise ProblemError(NOT_FOUND, days.NO_SUCH_DAY)
    await session.refresh(day)
    return day


def _if_match_when_given(request: Request, day: CalendarDay) -> None:
    if "if-match" in request.headers:
        require_if_match(request, _etag(day))


@router.post(
    "/{root_id}/days",
    status_code=201,
    response_model=CalendarDayPublic,
    summary="Add a calendar day",
    description=(
        "The PPID Utama or an admin of the root: a closure, an extra working day (e.g. a "
        "Saturday), a public holiday or cuti bersama, with its source (an SKB number, a "
        "letter). 409 when the root has a day of the same date and kind. Takes an "
        "`Idempotency-Key`." + _VERSIONED
    ),
    responses={
        201: {"headers": {"Location": {**_HEADER, "description": "The new day."}, **_ETAG}},
        **problem_responses(401, 403, 404, 409, 422),
    },
)
async def create_calendar_day(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    body: CalendarDayCreate,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:
    actor = require_calendar_editor(claims, root_id, tree)

    async def produce() -> idempotency.Outcome:
        day = await days.create_day(session, root_id, body, actor, root_time_zone(tree, root_id))
        shown = CalendarDayPublic.model_validate(day)
        headers = {
            "Location": f"/v1/calendar/{root_id}/days/{day.id}",
            "ETag": representation_etag(shown),
        }
        return idempotency.Outcome(201, shown.model_dump(mode="json"), headers)

    scope = f"requests:calendar-days:create:{claims.sub}"
    return await idempotency.respond_once(
        request, session, scope=scope, key=idempotency_key, produce=produce
    )


@router.get(
    "/{root_id}/days/{day_id}",
    response_model=CalendarDayPublic,
    summary="Get a calendar day",
    description="Public. The `ETag` is the one `If-Match` takes on `PATCH`, `DELETE`, confirm.",
    responses=paging.ITEM_RESPONSES,
)
async def get_calendar_day(
    request: Request, session: SessionDep, root_id: RootId, day_id: DayId
) -> Response:
    tree = await tree_if_reachable(request)
    if tree is not None:
        require_root(root_id, tree)
    day = await repository.get_day(session, root_id, day_id)
    if day is None:
        raise ProblemError(NOT_FOUND, days.NO_SUCH_DAY)
    return json_with_etag(request, CalendarDayPublic.model_validate(day).model_dump(mode="json"))


@router.patch(
    "/{root_id}/days/{day_id}",
    response_model=CalendarDayPublic,
    summary="Change a calendar day",
    description=(
        "The PPID Utama or an admin of the root; needs `If-Match`. Name, date, source, the "
        "estimate flag (the kind stays: delete and add instead). A day moved away from its "
        "date keeps that date out of later seeds; 409 when the new date holds a day of the "
        "same kind." + _VERSIONED
    ),
    responses={**_CHANGED, **problem_responses(401, 403, 404, 409, 412, 422, 428)},
)
async def update_calendar_day(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    day_id: DayId,
    body: CalendarDayUpdate,
) -> Response:
    actor = require_calendar_editor(claims, root_id, tree)
    changes = days.checked_changes(body.model_dump(exclude_unset=True))
    day = await _locked_day(session, root_id, day_id)
    require_if_match(request, _etag(day))
    await days.update_day(session, day, changes, actor, root_time_zone(tree, root_id))
    return _day_response(day)


@router.delete(
    "/{root_id}/days/{day_id}",
    status_code=204,
    summary="Remove a calendar day",
    description=(
        "The PPID Utama or an admin of the root. A later seed does not add the date back."
        + _OPTIONAL_IF_MATCH
        + _VERSIONED
    ),
    responses=problem_responses(401, 403, 404, 412, 422),
)
async def delete_calendar_day(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    day_id: DayId,
) -> Response:
    actor = require_calendar_editor(claims, root_id, tree)
    day = await _locked_day(session, root_id, day_id)
    _if_match_when_given(request, day)
    await days.delete_day(session, day, actor, root_time_zone(tree, root_id))
    return Response(status_code=204)


@router.post(
    "/{root_id}/days/{day_id}/confirm",
    response_model=CalendarDayPublic,
    summary="Confirm an estimated day once the decree is out",
    description=(
        "The PPID Utama or an admin of the root. The day stops being an estimate; `source` "
        "records the decree (e.g. the SKB number); `date` moves it when the decree set "
        "another (the old date stays out of later seeds). 409 when the day is not an "
        "estimate, or the new date holds a day of the same kind." + _OPTIONAL_IF_MATCH + _VERSIONED
    ),
    responses={**_CHANGED, **problem_responses(401, 403, 404, 409, 412, 422)},
)
async def confirm_calendar_day(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    day_id: DayId,
    body: CalendarDayConfirm,
) -> Response:
    actor = require_calendar_editor(claims, root_id, tree)
    day = await _locked_day(session, root_id, day_id)
    _if_match_when_given(request, day)
    changes = body.model_dump(exclude_none=True)
    await days.confirm_day(session, day, changes, actor, root_time_zone(tree, root_id))
    return _day_response(day)
