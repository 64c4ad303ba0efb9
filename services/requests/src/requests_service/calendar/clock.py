"""Working-day arithmetic (DOMAIN.md 14): pure functions over one root's calendar.

The counting convention (DOMAIN.md 14.2, declared in the service charter since the
UU does not define it):
- day 1 is the first working day after the day of receipt;
- a request received on a non-working day, or at or after the end of service hours,
  counts as received on the next working day (its `receipt_date`);
- a deadline ends at the end of its last working day in the root's time zone
  (WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

# No deadline of the law is longer than 100 working days (UU Pasal 38(2)); a year of
# closed days in a row means a broken calendar, not a long wait.
_MAX_SCAN_DAYS = 366
# The written notice: 10 working days from receipt (UU Pasal 22(7)); an extension adds
# at most 7 working days after that (UU Pasal 22(8)).
NOTICE_WORKING_DAYS = 10
EXTENSION_WORKING_DAYS = 7


class CalendarError(ValueError):
    """The calendar has no working day within a year of a date."""


@dataclass(frozen=True)
class WorkCalendar:
    """One root's calendar as of `version`: closed and extra working days, hours, zone."""

    root_id: uuid.UUID
    version: int
    time_zone: str = "Asia/Jakarta"
    weekend_days: frozenset[int] = frozenset({6, 7})  # ISO weekdays
    closed_days: frozenset[dt.date] = field(default_factory=frozenset)
    extra_working_days: frozenset[dt.date] = field(default_factory=frozenset)
    service_start: dt.time = dt.time(8, 0)
    service_end: dt.time = dt.time(16, 0)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_working_day(self, day: dt.date) -> bool:
        """An extra working day wins over everything; else not a weekend nor a closed day."""
        if day in self.extra_working_days:
            return True
        return day.isoweekday() not in self.weekend_days and day not in self.closed_days

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `start` (`start` itself is day 0)."""
        if count < 0:
            return self.subtract_working_days(start, -count)
        day, left = start, count
        for _ in range(count + _MAX_SCAN_DAYS):
            if left == 0:
                return day
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        raise CalendarError(f"no working day within a year after {start}")

    def subtract_working_days(self, start: dt.date, count: int) -> dt.date:
        """The `count`-th working day before `start`."""
        if count < 0:
            return self.add_working_days(start, -count)
        day, left = start, count
        for _ in range(count + _MAX_SCAN_DAYS):
            if left == 0:
                return day
            day -= dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        raise CalendarError(f"no working day within a year before {start}")

    def local(self, moment: dt.datetime) -> dt.datetime:
        """`moment` (aware) in the root's time zone."""
        if moment.tzinfo is None:
            raise ValueError("a naive datetime has no place on a legal clock")
        return moment.astimezone(self.zone)

    def receipt_date(self, received_at: dt.datetime) -> dt.date:
        """Day 0 of the count: the local day of receipt, or the next working day when the
        request came on a closed day or at or after the end of service hours. Before
        opening on a working day it is that day: the office opens on it."""
        local = self.local(received_at)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.service_end:
            return day
        return self.next_working_day(day)

    def deadline(self, received_at: dt.datetime, working_days: int) -> dt.date:
        """The last day of a period of `working_days` from receipt (D10: 10)."""
        return self.add_working_days(self.receipt_date(received_at), working_days)

    def end_of(self, day: dt.date) -> dt.datetime:
        """The instant a deadline day ends: the next local midnight, as an aware datetime."""
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.zone)

    def is_past(self, day: dt.date, now: dt.datetime) -> bool:
        """True once the deadline `day` has ended (overdue flags)."""
        return now >= self.end_of(day)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie after `start` up to and including `end` (0 if none)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def build_calendar(
    root_id: uuid.UUID,
    version: int,
    *,
    time_zone: str,
    weekend_days: Iterable[int],
    holidays: Iterable[dt.date],
    cuti_bersama: Iterable[dt.date],
    count_cuti_bersama_as_holiday: bool,
    closures: Iterable[dt.date],
    extra_working_days: Iterable[dt.date],
    service_start: dt.time,
    service_end: dt.time,
) -> WorkCalendar:
    """The calendar from a policy and its days (cuti bersama closed only when the policy says)."""
    closed = set(holidays) | set(closures)
    if count_cuti_bersama_as_holiday:
        closed |= set(cuti_bersama)
    return WorkCalendar(
        root_id=root_id,
        version=version,
        time_zone=time_zone,
        weekend_days=frozenset(weekend_days),
        closed_days=frozenset(closed),
        extra_working_days=frozenset(extra_working_days),
        service_start=service_start,
        service_end=service_end,
    )
