"""Indonesian wording of dates, zones and amounts, and one email from its blocks.

Deadlines are dates in the root's time zone ending at local midnight (DOMAIN.md
14.2), so an email says "Kamis, 17 Desember 2026 pukul 24.00 WIB".
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
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
FOOTER = "Email ini dikirim otomatis oleh layanan informasi publik; mohon tidak membalasnya."

Facts = Sequence[tuple[str, str]]


def zone_abbreviation(time_zone: str) -> str:
    known = ZONE_ABBREVIATIONS.get(time_zone)
    if known is not None:
        return known
    return dt.datetime.now(ZoneInfo(time_zone)).tzname() or time_zone


def long_date(day: dt.date) -> str:
    """`Kamis, 17 Desember 2026`."""
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def deadline_text(day: dt.date, time_zone: str) -> str:
    """The end of a deadline day: `Kamis, 17 Desember 2026 pukul 24.00 WIB`."""
    return f"{long_date(day)} pukul 24.00 {zone_abbreviation(time_zone)}"


def moment_text(moment: dt.datetime, time_zone: str) -> str:
    """`Kamis, 3 Desember 2026 pukul 10.15 WIB` (Indonesian time uses a dot)."""
    local = moment.astimezone(ZoneInfo(time_zone))
    clock = f"{local.hour:02d}.{local.minute:02d}"
    return f"{long_date(local.date())} pukul {clock} {zone_abbreviation(time_zone)}"


def rupiah(amount: int) -> str:
    """`Rp25.000` (a dot groups thousands in Indonesian)."""
    return "Rp" + f"{amount:,}".replace(",", ".")


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


def compose(
    subject: str,
    greeting: str,
    paragraphs: Sequence[str],
    facts: Facts,
    link: tuple[str, str] | None,
    closing: Sequence[str],
) -> Email:
    """Plain text and its HTML twin: greeting, paragraphs, facts, the link, closing, footer."""
    fact_lines = [f"- {label}: {value}" for label, value in facts]
    text_blocks = [greeting, *paragraphs, "\n".join(fact_lines)]
    html_blocks = [f"<p>{html.escape(greeting)}</p>"]
    html_blocks += [f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs]
    items = "".join(
        f"<li>{html.escape(label)}: {html.escape(value)}</li>" for label, value in facts
    )
    html_blocks.append(f"<ul>{items}</ul>")
    if link is not None:
        intro, url = link
        text_blocks.append(f"{intro}\n{url}")
        safe = html.escape(url, quote=True)
        html_blocks.append(f'<p>{html.escape(intro)}<br><a href="{safe}">{safe}</a></p>')
    text_blocks += [*closing, FOOTER]
    html_blocks += [f"<p>{html.escape(p)}</p>".replace("\n", "<br>") for p in [*closing, FOOTER]]
    page = '<!doctype html>\n<html lang="id"><body>\n' + "\n".join(html_blocks)
    return Email(
        subject=subject[:255],
        text="\n\n".join(text_blocks) + "\n",
        html=page + "\n</body></html>\n",
    )
