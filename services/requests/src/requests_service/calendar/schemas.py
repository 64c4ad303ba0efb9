"""Bodies of the calendar routes: the policy, days, the seed's diff, previews, recalculation."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from ppid_kit.models import LocalTime, PublicModel
from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from requests_service.calendar.models import CalendarDayKind, CalendarDayPublic

# DOMAIN.md 14.2: WIB, WITA, WIT.
TimeZoneName = Literal["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
IsoWeekday = Annotated[int, Field(ge=1, le=7)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]

_POLICY_EXAMPLE: dict[str, JsonValue] = {
    "time_zone": "Asia/Jakarta",
    "weekend_days": [6, 7],
    "count_cuti_bersama_as_holiday": True,
    "service_start": "08:00:00",
    "service_end": "16:00:00",
}


class CalendarPolicyUpdate(BaseModel):
    """A root's whole working-day policy (PUT replaces it)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_POLICY_EXAMPLE]})

    time_zone: TimeZoneName = Field(description="Deadlines end at midnight in this zone.")
    weekend_days: list[IsoWeekday] = Field(
        max_length=6, description="Closed ISO weekdays (Monday 1 … Sunday 7), each once."
    )
    count_cuti_bersama_as_holiday: bool = Field(
        description="Whether cuti bersama stops the clock (DOMAIN.md 14.1: unsettled, a policy)."
    )
    service_start: LocalTime = Field(description="Opening time, local (no offset).")
    service_end: LocalTime = Field(
        description="End of service hours: a request received at or after it counts as "
        "received on the next working day (DOMAIN.md 14.2)."
    )


class CalendarPolicyPublic(PublicModel):
    """A root's policy; `version` 0 and `updated_at` null: no policy was set, the defaults."""

    model_config = {  # noqa: RUF012 (a pydantic config)
        "json_schema_extra": {
            "examples": [
                {
                    **_POLICY_EXAMPLE,
                    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
                    "version": 4,
                    "updated_at": "2026-01-05T09:00:00+07:00",
                }
            ]
        }
    }

    root_id: uuid.UUID
    time_zone: str
    weekend_days: list[int]
    count_cuti_bersama_as_holiday: bool
    service_start: LocalTime
    service_end: LocalTime
    version: int = Field(description="Bumped by every change of the policy or of the days.")
    updated_at: dt.datetime | None


class CalendarDayCreate(BaseModel):
    """A day that changes the working week: a closure, an extra working day (e.g. a
    Saturday), or a holiday / cuti bersama the package lacks (an amended SKB)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "date": "2026-03-28",
                    "name": "Pelayanan Sabtu pengganti cuti bersama",
                    "kind": "extra_working_day",
                    "source": "SE Wali Kota No. 800/12/2026",
                }
            ]
        },
    )

    date: dt.date
    name: Label = Field(description="Name in Indonesian.")
    kind: CalendarDayKind
    source: Label = Field(description="Where it comes from: an SKB or decree number, a letter.")
    is_estimated: bool = Field(default=False, description="An estimate awaiting the decree.")


class CalendarDayUpdate(BaseModel):
    """The fields to change (absent: unchanged). The kind stays: delete and add instead."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Cuti Bersama Idul Fitri", "source": "SKB"}]},
    )

    date: dt.date | None = None
    name: Label | None = None
    source: Label | None = None
    is_estimated: bool | None = None


class CalendarDayConfirm(BaseModel):
    """The decree is out: the estimated day is confirmed, on its date or moved to another."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"source": "SKB 3 Menteri No. 1497/2026", "date": "2027-03-11"}]
        },
    )

    source: Label = Field(description="The decree that fixes the date (e.g. the SKB number).")
    date: dt.date | None = Field(default=None, description="The decreed date, when it moved.")
    name: Label | None = Field(default=None, description="The decreed name, when it changed.")


class SeedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"year": 2027}]})

    year: int = Field(ge=1946, le=2100, description="The year to seed (the package starts 1946).")


class SeedDay(PublicModel):
    """A day as the `holidays` package gives it."""

    date: dt.date
    kind: CalendarDayKind
    name: str
    is_estimated: bool


class SeedDifference(PublicModel):
    """A day in both the package and the table, whose name or estimate flag differ: the
    table (an admin's confirmation or correction) is kept."""

    package: SeedDay
    table: CalendarDayPublic


class SeedDiff(PublicModel):
    """What a seed did: only `added` was written; the table wins everywhere else."""

    root_id: uuid.UUID
    year: int
    source: str = Field(description="`holidays==<version>`, recorded on the added days.")
    calendar_version: int
    added: list[SeedDay]
    already_present: list[SeedDay]
    differing: list[SeedDifference]
    only_in_table: list[CalendarDayPublic] = Field(
        description="Holidays and cuti bersama of the year that the package does not have."
    )
    removed_by_admin: list[SeedDay] = Field(
        description="Package days an admin deleted or moved: not added back."
    )


class DeadlinePreview(PublicModel):
    """What the clock gives for a receipt instant, with the root's calendar now."""

    model_config = {  # noqa: RUF012 (a pydantic config)
        "json_schema_extra": {
            "examples": [
                {
                    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
                    "time_zone": "Asia/Jakarta",
                    "received_at": "2026-03-16T10:00:00+07:00",
                    "working_days": 10,
                    "receipt_date": "2026-03-16",
                    "due_date": "2026-04-07",
                    "due_at": "2026-04-08T00:00:00+07:00",
                    "calendar_version": 3,
                }
            ]
        }
    }

    root_id: uuid.UUID
    time_zone: str
    received_at: dt.datetime = Field(description="The instant, in the root's time zone.")
    working_days: int
    receipt_date: dt.date = Field(description="Day 0 of the count (DOMAIN.md 14.2).")
    due_date: dt.date = Field(description="The last day of the period.")
    due_at: dt.datetime = Field(description="When it ends: the next local midnight.")
    calendar_version: int


class RecalculateRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "SKB perubahan cuti bersama 2026"}]},
    )

    reason: Reason = Field(description="Why; shown in each changed request's history.")


class ClockDates(PublicModel):
    receipt_date: dt.date
    notice_due: dt.date
    extended_due: dt.date | None
    time_zone: str
    calendar_version: int


class RecalculatedRequest(PublicModel):
    id: uuid.UUID
    registration_number: str
    state: str
    old: ClockDates
    new: ClockDates


class Recalculation(PublicModel):
    """The requests awaiting their notice whose deadlines were computed with another
    calendar version: `changed` got new dates (and a history event); the others only
    the current version."""

    root_id: uuid.UUID
    calendar_version: int
    checked: int = Field(description="Requests with an older calendar version.")
    changed: list[RecalculatedRequest]
    version_only: int = Field(description="Requests whose dates stayed the same.")
