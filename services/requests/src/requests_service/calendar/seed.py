"""Seeding a root's calendar from the pinned `holidays` package (DOMAIN.md 14.3).

The package is a starting point, not the law: the SKB 3 Menteri and the Keppres are.
A seed only adds the days a root's table lacks; what the table holds (an admin's
confirmation, correction or removal) is never overwritten, only reported.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

import holidays
from holidays.version import __version__ as HOLIDAYS_VERSION
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.calendar import repository
from requests_service.calendar.models import CalendarDay, CalendarDayKind, CalendarDayPublic
from requests_service.calendar.schemas import SeedDay, SeedDiff, SeedDifference

# The government category of Indonesia is cuti bersama (DOMAIN.md 14.3).
CATEGORY_KINDS = {
    holidays.PUBLIC: CalendarDayKind.PUBLIC_HOLIDAY,
    holidays.GOVERNMENT: CalendarDayKind.CUTI_BERSAMA,
}
SEEDED_KINDS = frozenset(CATEGORY_KINDS.values())
# Future Islamic holidays carry this label until the decree fixes them.
_ESTIMATED = re.compile(r"\s*\((?:perkiraan|estimated)\)", re.IGNORECASE)
_NAME_LENGTH = 255


def package_source() -> str:
    """What seeded days record as their source: the pinned package version."""
    return f"holidays=={HOLIDAYS_VERSION}"


@dataclass(frozen=True)
class PackageDay:
    date: dt.date
    kind: CalendarDayKind
    name: str
    is_estimated: bool

    @property
    def key(self) -> tuple[dt.date, CalendarDayKind]:
        return (self.date, self.kind)

    def public(self) -> SeedDay:
        return SeedDay(
            date=self.date, kind=self.kind, name=self.name, is_estimated=self.is_estimated
        )


def _clean(name: str) -> tuple[str, bool]:
    """The name without the estimate label, and whether it had one."""
    cleaned = _ESTIMATED.sub("", name).strip()
    return cleaned[:_NAME_LENGTH], cleaned != name.strip()


def package_days(year: int) -> list[PackageDay]:
    """Indonesia's public holidays and cuti bersama of `year`, Indonesian names, in date
    order. One category at a time, so every date's kind is the category it came from."""
    found: list[PackageDay] = []
    for category, kind in CATEGORY_KINDS.items():
        days = holidays.country_holidays("ID", years=year, categories=(category,), language="id")
        for date, name in days.items():
            found.append(PackageDay(date, kind, *_clean(name)))
    return sorted(found, key=lambda day: (day.date, day.kind))


@dataclass
class Seeding:
    """The diff of one seed (only `added` was written)."""

    added: list[PackageDay] = field(default_factory=list)
    already_present: list[PackageDay] = field(default_factory=list)
    differing: list[tuple[PackageDay, CalendarDay]] = field(default_factory=list)
    only_in_table: list[CalendarDay] = field(default_factory=list)
    removed_by_admin: list[PackageDay] = field(default_factory=list)

    def diff(self, root_id: uuid.UUID, year: int, calendar_version: int) -> SeedDiff:
        public = CalendarDayPublic.model_validate
        return SeedDiff(
            root_id=root_id,
            year=year,
            source=package_source(),
            calendar_version=calendar_version,
            added=[day.public() for day in self.added],
            already_present=[day.public() for day in self.already_present],
            differing=[
                SeedDifference(package=day.public(), table=public(row))
                for day, row in self.differing
            ],
            only_in_table=[public(row) for row in self.only_in_table],
            removed_by_admin=[day.public() for day in self.removed_by_admin],
        )


async def seed_year(session: AsyncSession, root_id: uuid.UUID, year: int) -> Seeding:
    """Add the package's days of `year` the root's table lacks; report the rest.

    The caller holds `repository.lock_calendar` and bumps the version when days were added.
    """
    table = {
        (day.date, day.kind): day
        for day in await repository.days_of_year(session, root_id, year, SEEDED_KINDS)
    }
    removed = await repository.removals_of_year(session, root_id, year)
    package = package_days(year)
    result = Seeding()
    for day in package:
        held = table.get(day.key)
        if held is not None:
            if (held.name, held.is_estimated) == (day.name, day.is_estimated):
                result.already_present.append(day)
            else:
                result.differing.append((day, held))
        elif day.key in removed:
            result.removed_by_admin.append(day)
        else:
            row = CalendarDay(
                root_id=root_id,
                date=day.date,
                name=day.name,
                kind=day.kind,
                source=package_source(),
                is_estimated=day.is_estimated,
            )
            await repository.add_day(session, row)
            result.added.append(day)
    keys = {day.key for day in package}
    result.only_in_table = [day for key, day in table.items() if key not in keys]
    return result
