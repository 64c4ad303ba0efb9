"""The clock's convention (DOMAIN.md 14.2) on small hand-made calendars, no database."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import pytest
from requests_service.calendar.clock import CalendarError, WorkCalendar, build_calendar

D = dt.date.fromisoformat
WIB = dt.timezone(dt.timedelta(hours=7))
# July 2026: Wed 1; Mon 6, 13, 20, 27. No holiday of the package falls in it.
PLAIN = WorkCalendar(root_id=uuid.uuid4(), version=1)


def calendar(
    *,
    time_zone: str = "Asia/Jakarta",
    weekend_days: Iterable[int] = (6, 7),
    cuti_bersama: Iterable[dt.date] = (),
    count_cuti_bersama_as_holiday: bool = True,
    closures: Iterable[dt.date] = (),
    extra_working_days: Iterable[dt.date] = (),
) -> WorkCalendar:
    return build_calendar(
        uuid.uuid4(),
        2,
        time_zone=time_zone,
        weekend_days=weekend_days,
        holidays=(),
        cuti_bersama=cuti_bersama,
        count_cuti_bersama_as_holiday=count_cuti_bersama_as_holiday,
        closures=closures,
        extra_working_days=extra_working_days,
        service_start=dt.time(8),
        service_end=dt.time(16),
    )


def test_day_one_is_the_first_working_day_after_receipt() -> None:
    # Mon 6 Jul: 7(1) 8(2) 9(3) 10(4) 13(5).
    assert PLAIN.add_working_days(D("2026-07-06"), 5) == D("2026-07-13")
    assert PLAIN.add_working_days(D("2026-07-06"), 0) == D("2026-07-06")
    # From a Saturday (not a working day itself): Mon 6 is day 1.
    assert PLAIN.add_working_days(D("2026-07-04"), 1) == D("2026-07-06")


def test_subtracting_is_the_inverse_and_negative_counts_turn_around() -> None:
    assert PLAIN.subtract_working_days(D("2026-07-13"), 5) == D("2026-07-06")
    assert PLAIN.add_working_days(D("2026-07-13"), -5) == D("2026-07-06")
    assert PLAIN.subtract_working_days(D("2026-07-06"), -5) == D("2026-07-13")
    assert PLAIN.working_days_between(D("2026-07-06"), D("2026-07-13")) == 5
    assert PLAIN.working_days_between(D("2026-07-13"), D("2026-07-06")) == 0


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2026-07-06T00:00:00", "2026-07-06"),  # before opening: the office opens that day
        ("2026-07-06T15:59:59.999999", "2026-07-06"),
        ("2026-07-06T16:00:00", "2026-07-07"),  # the end of service hours is after hours
        ("2026-07-06T23:59:59", "2026-07-07"),
        ("2026-07-10T16:30:00", "2026-07-13"),  # Friday evening: Monday
        ("2026-07-11T10:00:00", "2026-07-13"),  # Saturday: Monday
    ],
)
def test_receipt_date(local: str, expected: str) -> None:
    received = dt.datetime.fromisoformat(local).replace(tzinfo=WIB)
    assert PLAIN.receipt_date(received) == D(expected)


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        PLAIN.receipt_date(dt.datetime(2026, 7, 6, 10))


def test_cuti_bersama_closes_only_when_the_policy_says() -> None:
    cuti = [D("2026-07-08")]
    counted = calendar(cuti_bersama=cuti)
    working = calendar(cuti_bersama=cuti, count_cuti_bersama_as_holiday=False)
    assert not counted.is_working_day(D("2026-07-08"))
    assert working.is_working_day(D("2026-07-08"))
    # Mon 6: 7(1) 9(2) with the 8th closed; 7(1) 8(2) without.
    assert counted.add_working_days(D("2026-07-06"), 2) == D("2026-07-09")
    assert working.add_working_days(D("2026-07-06"), 2) == D("2026-07-08")


def test_an_extra_working_day_wins_over_the_weekend_and_a_closure() -> None:
    opened = calendar(
        closures=[D("2026-07-11")], extra_working_days=[D("2026-07-11"), D("2026-07-12")]
    )
    assert opened.is_working_day(D("2026-07-11"))  # a Saturday, also "closed"
    assert opened.is_working_day(D("2026-07-12"))
    # Fri 10: 11(1) 12(2) 13(3).
    assert opened.add_working_days(D("2026-07-10"), 3) == D("2026-07-13")


def test_deadlines_end_at_local_midnight() -> None:
    wit = calendar(time_zone="Asia/Jayapura")
    end = wit.end_of(D("2026-07-20"))
    assert end == dt.datetime(2026, 7, 21, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert not wit.is_past(D("2026-07-20"), end - dt.timedelta(microseconds=1))
    assert wit.is_past(D("2026-07-20"), end)


def test_a_calendar_without_working_days_fails_loudly() -> None:
    closed = calendar(weekend_days=range(1, 8))
    with pytest.raises(CalendarError):
        closed.add_working_days(D("2026-07-06"), 1)
    with pytest.raises(CalendarError):
        closed.subtract_working_days(D("2026-07-06"), 1)
