"""A root's calendar: loading it for deadline arithmetic, and versioning its changes
(DOMAIN.md 14: every stored deadline records the calendar version it was computed with)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from ppid_kit.etag import json_etag
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.calendar.clock import WorkCalendar, build_calendar
from requests_service.calendar.models import (
    DEFAULT_TIME_ZONE,
    CalendarDay,
    CalendarDayKind,
    CalendarPolicy,
)
from requests_service.calendar.schemas import CalendarPolicyPublic


async def get_policy(session: AsyncSession, root_id: uuid.UUID) -> CalendarPolicy | None:
    return await session.get(CalendarPolicy, root_id, populate_existing=True)


def default_policy(root_id: uuid.UUID, time_zone: str | None = None) -> CalendarPolicy:
    """The policy of a root without a row (version 0): weekends closed, 08:00-16:00."""
    return CalendarPolicy(root_id=root_id, time_zone=time_zone or DEFAULT_TIME_ZONE, version=0)


async def load_calendar(
    session: AsyncSession, root_id: uuid.UUID, *, time_zone: str | None = None
) -> WorkCalendar:
    """The root's calendar now. `time_zone` (the root's, from auth's tree) applies when
    the root has no policy row yet."""
    policy = await get_policy(session, root_id) or default_policy(root_id, time_zone)
    rows = (
        await session.execute(
            sa.select(col(CalendarDay.date), col(CalendarDay.kind)).where(
                col(CalendarDay.root_id) == root_id
            )
        )
    ).all()
    days: dict[CalendarDayKind, set[dt.date]] = {kind: set() for kind in CalendarDayKind}
    for day, kind in rows:
        days[CalendarDayKind(kind)].add(day)
    return build_calendar(
        root_id,
        policy.version,
        time_zone=policy.time_zone,
        weekend_days=policy.weekend_days,
        holidays=days[CalendarDayKind.PUBLIC_HOLIDAY],
        cuti_bersama=days[CalendarDayKind.CUTI_BERSAMA],
        count_cuti_bersama_as_holiday=policy.count_cuti_bersama_as_holiday,
        closures=days[CalendarDayKind.CLOSURE],
        extra_working_days=days[CalendarDayKind.EXTRA_WORKING_DAY],
        service_start=policy.service_start,
        service_end=policy.service_end,
    )


def policy_public(policy: CalendarPolicy) -> CalendarPolicyPublic:
    """The policy as served (a default policy has version 0 and no `updated_at`)."""
    return CalendarPolicyPublic(
        root_id=policy.root_id,
        time_zone=policy.time_zone,
        weekend_days=sorted(policy.weekend_days),
        count_cuti_bersama_as_holiday=policy.count_cuti_bersama_as_holiday,
        service_start=policy.service_start,
        service_end=policy.service_end,
        version=policy.version,
        updated_at=policy.updated_at if policy.version > 0 else None,
    )


def representation_etag(model: BaseModel) -> str:
    """The ETag `json_with_etag` gives `model`'s JSON, so `If-Match` can quote a GET's."""
    return json_etag(model.model_dump(mode="json"))


async def bump_version(
    session: AsyncSession, root_id: uuid.UUID, time_zone: str | None
) -> CalendarPolicy:
    """One more calendar version for the root (its policy row made with the defaults
    when it has none). The caller holds `repository.lock_calendar`."""
    policy = await get_policy(session, root_id)
    if policy is None:
        policy = default_policy(root_id, time_zone)
    policy.version += 1
    return await save_policy(session, policy)


async def save_policy(session: AsyncSession, policy: CalendarPolicy) -> CalendarPolicy:
    """Flush `policy` and load its `updated_at` (set by the database)."""
    session.add(policy)
    await session.flush()
    await session.refresh(policy)
    return policy
