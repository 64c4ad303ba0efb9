"""`/v1/calendar`: each root's working-day calendar (DOMAIN.md 14).

The list of days (`/holidays`), then per root: the policy and the seed
(`policy_routes`), the days (`day_routes`), the deadline preview and the
recalculation (`deadline_routes`).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from ppid_kit import paging
from ppid_kit.db import SessionDep

from requests_service.calendar import day_routes, deadline_routes, policy_routes, repository
from requests_service.calendar.models import CalendarDayKind, CalendarDayPage, CalendarDayPublic
from requests_service.calendar.repository import DayFilter

router = APIRouter(prefix="/v1/calendar", tags=["calendar"])


@router.get(
    "/holidays",
    response_model=CalendarDayPage,
    summary="List calendar days (holidays, cuti bersama, closures, extra working days)",
    description=(
        "The days that change a root's Monday-to-Friday working week, in date order. "
        "Deadlines in working days are counted against them (DOMAIN.md 14)."
    ),
    responses=paging.LIST_RESPONSES,
)
async def list_holidays(
    request: Request,
    session: SessionDep,
    page: paging.PagingDep,
    root: Annotated[uuid.UUID | None, Query(description="Only this root's calendar.")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999, description="Only this year.")] = None,
    kind: Annotated[CalendarDayKind | None, Query(description="Only days of this kind.")] = None,
) -> Response:
    filters = DayFilter(root=root, year=year, kind=kind)
    stmt = repository.select_days(filters)
    found = await paging.keyset_page(session, stmt, repository.BY_DATE, page)
    return paging.page_response(request, found.map(CalendarDayPublic.model_validate))


router.include_router(policy_routes.router)
router.include_router(day_routes.router)
router.include_router(deadline_routes.router)
