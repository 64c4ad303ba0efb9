"""Indonesian wording of dates, times, zones and amounts (emails, notices, the receipt).

Deadlines are dates in the root's time zone ending at local midnight (DOMAIN.md
14.2), so an email says "Kamis, 17 Desember 2026 pukul 24.00 WIB".
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
# Waktu Indonesia Barat / Tengah / Timur (UU-era names; tzdata agrees, but a table is sure).
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_abbreviation(time_zone: str) -> str:
    known = ZONE_ABBREVIATIONS.get(time_zone)
    if known is not None:
        return known
    return dt.datetime.now(ZoneInfo(time_zone)).tzname() or time_zone


def tanggal(day: dt.date) -> str:
    """`2 Desember 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_date(day: dt.date) -> str:
    """`Kamis, 17 Desember 2026`."""
    return f"{DAYS[day.weekday()]}, {tanggal(day)}"


def clock(local: dt.datetime) -> str:
    """`10.15` (Indonesian time uses a dot)."""
    return f"{local.hour:02d}.{local.minute:02d}"


def deadline_text(day: dt.date, time_zone: str) -> str:
    """The end of a deadline day: `Kamis, 17 Desember 2026 pukul 24.00 WIB`."""
    return f"{long_date(day)} pukul 24.00 {zone_abbreviation(time_zone)}"


def moment_text(moment: dt.datetime, time_zone: str) -> str:
    """`Kamis, 3 Desember 2026 pukul 10.15 WIB`."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{long_date(local.date())} pukul {clock(local)} {zone_abbreviation(time_zone)}"


def rupiah(amount: int) -> str:
    """`Rp25.000` (a dot groups thousands in Indonesian)."""
    return "Rp" + f"{amount:,}".replace(",", ".")
