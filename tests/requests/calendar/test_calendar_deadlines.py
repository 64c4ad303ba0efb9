"""D10 and D17 by hand (issue 5, done-when 1): the real 2026/2027 holidays from the pinned
`holidays` package, seeded into real calendars with different policies.

Every expected date below was counted by hand on a paper calendar, never by the code
under test; the comment of each row shows the count. Day 0 is the receipt date; day 1
the first working day after it (DOMAIN.md 14.2).

March 2026 (holidays 0.108): 18 Wed cuti bersama (Nyepi), 19 Thu Nyepi, 20 Fri cuti
bersama (Idul Fitri), 21 Sat / 22 Sun Idul Fitri, 23 Mon and 24 Tue cuti bersama;
3 April Good Friday, 5 April Easter (a Sunday). December 2026: 24 Thu cuti bersama,
25 Fri Natal; 1 January 2027 Fri, 5 January 2027 Tue Isra Mikraj. 2027: 8 March Mon
Nyepi, 9 Tue cuti bersama, 10 Wed and 11 Thu Idul Fitri (perkiraan), 12 Fri and 15 Mon
cuti bersama, 25 Thu cuti bersama, 26 Fri Good Friday.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from requests_service.calendar.clock import WorkCalendar
from requests_service.calendar.models import CalendarDay, CalendarDayKind, CalendarPolicy
from requests_service.calendar.seed import package_days, seed_year
from requests_service.calendar.service import load_calendar

from tests.services.support import database_session

D = dt.date.fromisoformat

# One root per policy (the database has no foreign key to auth's units).
CALENDARS = {
    "wib": CalendarPolicy(root_id=uuid.uuid4(), time_zone="Asia/Jakarta"),
    "wib-cuti-works": CalendarPolicy(
        root_id=uuid.uuid4(), time_zone="Asia/Jakarta", count_cuti_bersama_as_holiday=False
    ),
    "wib-saturday": CalendarPolicy(root_id=uuid.uuid4(), time_zone="Asia/Jakarta"),
    "wita": CalendarPolicy(root_id=uuid.uuid4(), time_zone="Asia/Makassar"),
    "wit": CalendarPolicy(root_id=uuid.uuid4(), time_zone="Asia/Jayapura"),
}
EXTRA_SATURDAY = D("2026-03-28")  # "wib-saturday" opens this Saturday


@dataclass(frozen=True)
class Row:
    name: str
    calendar: str
    received_at: str
    receipt: str
    d10: str
    d17: str


ROWS = [
    # Mon 16 Mar, 10:00: day 0 is the 16th. Closed: 18-24 (cuti bersama counted), 3 Apr.
    # 17(1) 25(2) 26(3) 27(4) 30(5) 31(6) 1Apr(7) 2(8) 6(9) 7(10) |
    # 8(11) 9(12) 10(13) 13(14) 14(15) 15(16) 16(17)
    Row("idul-fitri", "wib", "2026-03-16T10:00:00+07:00", "2026-03-16", "2026-04-07", "2026-04-16"),
    # The same, cuti bersama not a holiday: closed only 19, 21, 22, 3 Apr and weekends.
    # 17(1) 18(2) 20(3) 23(4) 24(5) 25(6) 26(7) 27(8) 30(9) 31(10) |
    # 1Apr(11) 2(12) 6(13) 7(14) 8(15) 9(16) 10(17)
    Row(
        "idul-fitri-cuti-works",
        "wib-cuti-works",
        "2026-03-16T10:00:00+07:00",
        "2026-03-16",
        "2026-03-31",
        "2026-04-10",
    ),
    # Tue 17 Mar at 16:00 sharp: after hours, day 0 is the next working day, Wed 25.
    # 26(1) 27(2) 30(3) 31(4) 1Apr(5) 2(6) 6(7) 7(8) 8(9) 9(10) |
    # 10(11) 13(12) 14(13) 15(14) 16(15) 17(16) 20(17)
    Row(
        "after-hours", "wib", "2026-03-17T16:00:00+07:00", "2026-03-25", "2026-04-09", "2026-04-20"
    ),
    # One second earlier: still the 17th.
    # 25(1) 26(2) 27(3) 30(4) 31(5) 1Apr(6) 2(7) 6(8) 7(9) 8(10) |
    # 9(11) 10(12) 13(13) 14(14) 15(15) 16(16) 17(17)
    Row(
        "before-closing",
        "wib",
        "2026-03-17T15:59:59+07:00",
        "2026-03-17",
        "2026-04-08",
        "2026-04-17",
    ),
    # Before opening on a working day: that day (only closed days and after hours move it).
    # 7(1) 8(2) 9(3) 10(4) 13(5) 14(6) 15(7) 16(8) 17(9) 20(10) |
    # 21(11) 22(12) 23(13) 24(14) 27(15) 28(16) 29(17)
    Row(
        "before-opening",
        "wib",
        "2026-07-06T06:00:00+07:00",
        "2026-07-06",
        "2026-07-20",
        "2026-07-29",
    ),
    # Received on Nyepi (Thu 19, closed): day 0 is Fri 20, a working day when cuti works.
    # 23(1) 24(2) 25(3) 26(4) 27(5) 30(6) 31(7) 1Apr(8) 2(9) 6(10) |
    # 7(11) 8(12) 9(13) 10(14) 13(15) 14(16) 15(17)
    Row(
        "on-nyepi-cuti-works",
        "wib-cuti-works",
        "2026-03-19T09:00:00+07:00",
        "2026-03-20",
        "2026-04-06",
        "2026-04-15",
    ),
    # Received on Nyepi with cuti bersama counted: 20-24 closed, day 0 is Wed 25
    # (then as "after-hours").
    Row("on-nyepi", "wib", "2026-03-19T09:00:00+07:00", "2026-03-25", "2026-04-09", "2026-04-20"),
    # Sat 7 Mar: day 0 is Mon 9.
    # 10(1) 11(2) 12(3) 13(4) 16(5) 17(6) 25(7) 26(8) 27(9) 30(10) |
    # 31(11) 1Apr(12) 2(13) 6(14) 7(15) 8(16) 9(17)
    Row("weekend", "wib", "2026-03-07T10:00:00+07:00", "2026-03-09", "2026-03-30", "2026-04-09"),
    # Fri 3 Jul 17:30, weeks without holidays: day 0 is Mon 6 (then as "before-opening").
    Row(
        "friday-evening",
        "wib",
        "2026-07-03T17:30:00+07:00",
        "2026-07-06",
        "2026-07-20",
        "2026-07-29",
    ),
    # Sat 28 Mar is a working day of "wib-saturday".
    # 17(1) 25(2) 26(3) 27(4) Sat28(5) 30(6) 31(7) 1Apr(8) 2(9) 6(10) |
    # 7(11) 8(12) 9(13) 10(14) 13(15) 14(16) 15(17)
    Row(
        "extra-saturday",
        "wib-saturday",
        "2026-03-16T10:00:00+07:00",
        "2026-03-16",
        "2026-04-06",
        "2026-04-15",
    ),
    # Received on that Saturday: it is day 0.
    # 30(1) 31(2) 1Apr(3) 2(4) 6(5) 7(6) 8(7) 9(8) 10(9) 13(10) |
    # 14(11) 15(12) 16(13) 17(14) 20(15) 21(16) 22(17)
    Row(
        "on-extra-saturday",
        "wib-saturday",
        "2026-03-28T10:00:00+07:00",
        "2026-03-28",
        "2026-04-13",
        "2026-04-22",
    ),
    # Wed 23 Dec 2026 into 2027: 24, 25 Dec, 1 Jan, 5 Jan closed.
    # 28(1) 29(2) 30(3) 31(4) 4Jan(5) 6(6) 7(7) 8(8) 11(9) 12(10) |
    # 13(11) 14(12) 15(13) 18(14) 19(15) 20(16) 21(17)
    Row("natal", "wib", "2026-12-23T10:00:00+07:00", "2026-12-23", "2027-01-12", "2027-01-21"),
    # Mon 8 Mar 2027 is Nyepi; 9-15 closed (estimated Idul Fitri and its cuti bersama):
    # day 0 is Tue 16. 17(1) 18(2) 19(3) 22(4) 23(5) 24(6) 29(7) 30(8) 31(9) 1Apr(10) |
    # 2(11) 5(12) 6(13) 7(14) 8(15) 9(16) 12(17)
    Row(
        "idul-fitri-2027-estimated",
        "wib",
        "2027-03-08T10:00:00+07:00",
        "2027-03-16",
        "2027-04-01",
        "2027-04-12",
    ),
    # Mon 6 Jul 2026 07:30 UTC is 14:30 WIB, 15:30 WITA, 16:30 WIT (after hours).
    # From Mon 6: as "before-opening". From Tue 7:
    # 8(1) 9(2) 10(3) 13(4) 14(5) 15(6) 16(7) 17(8) 20(9) 21(10) |
    # 22(11) 23(12) 24(13) 27(14) 28(15) 29(16) 30(17)
    Row("0730z-wib", "wib", "2026-07-06T07:30:00Z", "2026-07-06", "2026-07-20", "2026-07-29"),
    Row("0730z-wita", "wita", "2026-07-06T07:30:00Z", "2026-07-06", "2026-07-20", "2026-07-29"),
    Row("0730z-wit", "wit", "2026-07-06T07:30:00Z", "2026-07-07", "2026-07-21", "2026-07-30"),
    # An hour later: 15:30 WIB (in hours), 16:30 WITA and 17:30 WIT (after hours).
    Row("0830z-wib", "wib", "2026-07-06T08:30:00Z", "2026-07-06", "2026-07-20", "2026-07-29"),
    Row("0830z-wita", "wita", "2026-07-06T08:30:00Z", "2026-07-07", "2026-07-21", "2026-07-30"),
    Row("0830z-wit", "wit", "2026-07-06T08:30:00Z", "2026-07-07", "2026-07-21", "2026-07-30"),
]


@pytest.fixture(scope="module")
async def calendars(requests_database: str) -> dict[str, WorkCalendar]:
    """The calendars, seeded from the package for 2026 and 2027, loaded back."""
    async with database_session(requests_database) as session:
        for policy in CALENDARS.values():
            session.add(policy)
            for year in (2026, 2027):
                await seed_year(session, policy.root_id, year)
        extra = CalendarDay(
            root_id=CALENDARS["wib-saturday"].root_id,
            date=EXTRA_SATURDAY,
            name="Pelayanan Sabtu",
            kind=CalendarDayKind.EXTRA_WORKING_DAY,
            source="SE Wali Kota",
        )
        session.add(extra)
    async with database_session(requests_database) as session:
        return {
            name: await load_calendar(session, policy.root_id) for name, policy in CALENDARS.items()
        }


def test_the_package_gives_the_dates_the_table_assumes() -> None:
    """The premise of the rows: holidays 0.108's Indonesia around Idul Fitri 2026."""
    days = {(day.date, day.kind) for day in package_days(2026)}
    public, cuti = CalendarDayKind.PUBLIC_HOLIDAY, CalendarDayKind.CUTI_BERSAMA
    march = {key for key in days if D("2026-03-16") <= key[0] <= D("2026-03-31")}
    assert march == {
        (D("2026-03-18"), cuti),
        (D("2026-03-19"), public),
        (D("2026-03-20"), cuti),
        (D("2026-03-21"), public),
        (D("2026-03-22"), public),
        (D("2026-03-23"), cuti),
        (D("2026-03-24"), cuti),
    }
    assert {(D("2026-04-03"), public), (D("2026-12-24"), cuti), (D("2026-12-25"), public)} <= days
    assert not {key for key in days if D("2026-07-01") <= key[0] <= D("2026-08-16")}
    estimated = {day.date for day in package_days(2027) if day.is_estimated}
    assert {D("2027-03-10"), D("2027-03-11")} <= estimated


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_deadlines(calendars: dict[str, WorkCalendar], row: Row) -> None:
    calendar = calendars[row.calendar]
    received = dt.datetime.fromisoformat(row.received_at)
    assert calendar.receipt_date(received) == D(row.receipt)
    assert calendar.deadline(received, 10) == D(row.d10)
    assert calendar.deadline(received, 17) == D(row.d17)
    # UU Pasal 22(8): the extension counts 7 working days on from D10.
    assert calendar.add_working_days(D(row.d10), 7) == D(row.d17)


def test_the_same_instant_ends_at_each_zones_midnight(calendars: dict[str, WorkCalendar]) -> None:
    """D10 of Mon 6 Jul 2026 08:30 UTC: 20 Jul in WIB, 21 Jul in WITA and WIT, each
    ending at its own local midnight."""
    received = dt.datetime.fromisoformat("2026-07-06T08:30:00Z")
    ends = {
        name: calendars[name].end_of(calendars[name].deadline(received, 10)).astimezone(dt.UTC)
        for name in ("wib", "wita", "wit")
    }
    assert ends == {
        "wib": dt.datetime(2026, 7, 20, 17, 0, tzinfo=dt.UTC),  # 21 Jul 00:00 +07:00
        "wita": dt.datetime(2026, 7, 21, 16, 0, tzinfo=dt.UTC),  # 22 Jul 00:00 +08:00
        "wit": dt.datetime(2026, 7, 21, 15, 0, tzinfo=dt.UTC),  # 22 Jul 00:00 +09:00
    }
