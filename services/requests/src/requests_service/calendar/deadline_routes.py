"""What the clock gives for a receipt (a preview), and the explicit recalculation of
stored deadlines after a calendar change (DOMAIN.md 14.2, 14.3; UU Pasal 22(7), (8))."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from ppid_kit import paging
from ppid_kit.access import require_root
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag
from ppid_kit.problems import (
    VALIDATION,
    FieldError,
    ProblemError,
    Text,
    problem_responses,
    register_kind,
)
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTreeDep
from pydantic import AwareDatetime

from requests_service.calendar.access import (
    require_calendar_editor,
    root_time_zone,
    tree_if_reachable,
)
from requests_service.calendar.clock import CalendarError
from requests_service.calendar.recalculate import recalculate
from requests_service.calendar.schemas import DeadlinePreview, RecalculateRequest, Recalculation
from requests_service.calendar.service import load_calendar

router = APIRouter()

RootId = Annotated[uuid.UUID, Path(description="The root (badan publik).")]
NO_WORKING_DAY = register_kind(
    "calendar-without-working-days",
    409,
    "Kalender tanpa hari kerja",
    "Calendar without working days",
    detail_id="Kalender badan publik ini tidak memuat hari kerja dalam setahun.",
    detail_en="This public body's calendar has no working day within a year.",
)
_YEARS = (1946, 2100)
_OUT_OF_RANGE = Text(
    f"Waktu harus antara tahun {_YEARS[0]} dan {_YEARS[1]}.",
    f"The time must fall between the years {_YEARS[0]} and {_YEARS[1]}.",
)


@router.get(
    "/{root_id}/deadline",
    response_model=DeadlinePreview,
    summary="Preview a deadline in working days",
    description=(
        "Public. What the root's calendar now gives for a request received at `received_at`: "
        "the receipt date (day 0: the next working day when received on a closed day or at "
        "or after the end of service hours), the `days`-th working day after it, and the "
        "instant that day ends (local midnight). `days=10`: the written notice (UU Pasal "
        "22(7)); `days=17`: with the extension (22(8))."
    ),
    responses={**paging.ITEM_RESPONSES, **problem_responses(404, 409, 422)},
)
async def preview_deadline(
    request: Request,
    session: SessionDep,
    root_id: RootId,
    received_at: Annotated[
        AwareDatetime, Query(description="RFC 3339 instant with offset, e.g. the submission.")
    ],
    days: Annotated[int, Query(ge=1, le=100, description="Working days to count.")] = 10,
) -> Response:
    if not _YEARS[0] <= received_at.year <= _YEARS[1]:
        raise ProblemError(VALIDATION, errors=[FieldError("query.received_at", _OUT_OF_RANGE)])
    tree = await tree_if_reachable(request)
    if tree is not None:
        require_root(root_id, tree)
    calendar = await load_calendar(session, root_id, time_zone=root_time_zone(tree, root_id))
    try:
        receipt = calendar.receipt_date(received_at)
        due = calendar.add_working_days(receipt, days)
    except CalendarError as exc:
        raise ProblemError(NO_WORKING_DAY) from exc
    preview = DeadlinePreview(
        root_id=root_id,
        time_zone=calendar.time_zone,
        received_at=calendar.local(received_at),
        working_days=days,
        receipt_date=receipt,
        due_date=due,
        due_at=calendar.end_of(due),
        calendar_version=calendar.version,
    )
    return json_with_etag(request, preview.model_dump(mode="json"))


@router.post(
    "/{root_id}/recalculate",
    response_model=Recalculation,
    summary="Recalculate stored deadlines with the current calendar",
    description=(
        "The PPID Utama or an admin of the root, with a `reason`. Stored deadlines never "
        "follow a calendar change by themselves (DOMAIN.md 14.3): this recomputes the receipt "
        "date, D10 and (when extended) D17 of the root's requests still awaiting their "
        "written notice whose calendar version is not the current one. Each request whose "
        "dates change gets a `recalculate` event in its history (the reason as its note); "
        "the others only the current version."
    ),
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def recalculate_deadlines(
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root_id: RootId,
    body: RecalculateRequest,
) -> Recalculation:
    actor = require_calendar_editor(claims, root_id, tree)
    time_zone = root_time_zone(tree, root_id)
    try:
        return await recalculate(
            session, root_id, reason=body.reason, actor=actor, time_zone=time_zone
        )
    except CalendarError as exc:
        raise ProblemError(NO_WORKING_DAY) from exc
