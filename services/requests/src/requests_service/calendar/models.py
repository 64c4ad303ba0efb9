"""Calendar days: the exceptions to "Monday to Friday" that working-day deadlines use.

DOMAIN.md 14: holidays and cuti bersama come from the SKB 3 Menteri and the Keppres;
each root adds closures and extra working days. Seeded from the `holidays` package,
confirmed or overridden by admins, so every row says where it came from.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

import sqlalchemy as sa
from ppid_kit.cursor import Page
from ppid_kit.models import CreatedAt, PublicModel, enum_type, values_in
from pydantic import JsonValue
from sqlmodel import Field, SQLModel


class CalendarDayKind(StrEnum):
    """DOMAIN.md 14.1: cuti bersama is leave, not a public holiday; it is kept apart."""

    PUBLIC_HOLIDAY = "public_holiday"
    CUTI_BERSAMA = "cuti_bersama"
    CLOSURE = "closure"
    EXTRA_WORKING_DAY = "extra_working_day"


class CalendarDayBase(SQLModel):
    root_id: uuid.UUID = Field(description="The badan publik whose calendar this is.")
    date: dt.date = Field(description="The calendar date, in the root's time zone.")
    name: str = Field(max_length=255, description="Name in Indonesian.")
    kind: CalendarDayKind = Field(sa_type=enum_type(CalendarDayKind))
    source: str = Field(
        max_length=255,
        description="Where the day comes from: `holidays==<version>`, an SKB, or an admin.",
    )
    # Future Islamic holidays are estimates until the SKB fixes them (DOMAIN.md 14.3).
    is_estimated: bool = Field(default=False, description="An estimate awaiting the decree.")


class CalendarDay(CalendarDayBase, CreatedAt, table=True):
    __tablename__ = "calendar_days"
    __table_args__ = (
        sa.UniqueConstraint("root_id", "date", "kind", name="uq_calendar_days_root_id_date_kind"),
        sa.CheckConstraint(values_in("kind", CalendarDayKind), name="ck_calendar_days_kind"),
        # Keyset order of GET /v1/calendar/holidays: (date, id), alone and within one root.
        sa.Index("ix_calendar_days_date_id", "date", "id"),
        sa.Index("ix_calendar_days_root_id_date_id", "root_id", "date", "id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


DAY_EXAMPLE: dict[str, JsonValue] = {
    "id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99",
    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
    "date": "2026-03-20",
    "name": "Hari Raya Idul Fitri",
    "kind": "public_holiday",
    "source": "holidays==0.109",
    "is_estimated": False,
    "created_at": "2025-12-01T09:00:00+07:00",
}


class CalendarDayPublic(CalendarDayBase, PublicModel):
    """One day of a root's working calendar."""

    model_config = {"json_schema_extra": {"examples": [DAY_EXAMPLE]}}

    id: uuid.UUID
    created_at: dt.datetime


class CalendarDayPage(Page[CalendarDayPublic]):
    """A page of a working calendar, in date order."""


class CalendarDayRemoval(CreatedAt, table=True):
    """A (date, kind) an admin removed from a root's calendar (deleted, or moved by a
    confirmation): a later seed from the `holidays` package must not bring it back."""

    __tablename__ = "calendar_day_removals"
    __table_args__ = (
        sa.CheckConstraint(
            values_in("kind", CalendarDayKind), name="ck_calendar_day_removals_kind"
        ),
    )

    root_id: uuid.UUID = Field(primary_key=True)
    date: dt.date = Field(primary_key=True)
    kind: CalendarDayKind = Field(sa_type=enum_type(CalendarDayKind), primary_key=True)


DEFAULT_TIME_ZONE = "Asia/Jakarta"


class CalendarPolicy(SQLModel, table=True):
    """A root's working-day rules (DOMAIN.md 14.1); no row means the defaults below.

    `version` counts every change to the policy or to the root's calendar days: each
    stored deadline records the version it was computed with (DOMAIN.md 14.3).
    """

    __tablename__ = "calendar_policies"

    root_id: uuid.UUID = Field(primary_key=True)
    # WIB, WITA or WIT (DOMAIN.md 14.2): deadlines end at midnight there.
    time_zone: str = Field(default=DEFAULT_TIME_ZONE, max_length=64)
    # ISO weekdays (Monday 1 … Sunday 7) that are closed.
    weekend_days: list[int] = Field(
        default_factory=lambda: [6, 7], sa_type=sa.ARRAY(sa.SmallInteger)
    )
    # Cuti bersama is leave, not a holiday; whether it stops the clock is a policy (14.1).
    count_cuti_bersama_as_holiday: bool = Field(default=True)
    # After service hours a request counts as received on the next working day (14.2).
    service_start: dt.time = Field(default=dt.time(8, 0))
    service_end: dt.time = Field(default=dt.time(16, 0))
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    updated_at: dt.datetime | None = Field(
        default=None,
        nullable=False,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now(), "onupdate": sa.func.now()},
    )
