"""Registration numbers (DOMAIN.md 8.6): gap-free per root, year and series.

`next_seq` increments the counter row with `INSERT … ON CONFLICT DO UPDATE … RETURNING`:
the row stays locked until the submitting transaction ends, so concurrent submissions
of a root queue there, and a rolled-back one gives its number back.
"""

from __future__ import annotations

import string
import uuid

import sqlalchemy as sa
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession

REQUEST_SERIES = "PI"  # permohonan informasi; objections are `KB`
FIELDS = frozenset({"root", "unit", "series", "year", "seq"})
REQUIRED_FIELDS = frozenset({"root", "year", "seq"})
MAX_LENGTH = 128  # information_requests.registration_number

_NEXT = sa.text(
    "INSERT INTO number_counters (root_id, year, series, last) "
    "VALUES (:root_id, :year, :series, 1) "
    "ON CONFLICT (root_id, year, series) DO UPDATE SET last = number_counters.last + 1 "
    "RETURNING last"
)


async def next_seq(session: AsyncSession, root_id: uuid.UUID, year: int, series: str) -> int:
    """The next number of the series; the counter stays locked until the transaction ends."""
    result = await session.execute(_NEXT, {"root_id": root_id, "year": year, "series": series})
    return int(result.scalar_one())


def unit_code(tree: UnitTree, unit_id: uuid.UUID) -> str:
    """`kota-contoh.dinkes` → `DINKES`: the last dot-segment, upper-cased (the id's first
    block when the tree carries no codes)."""
    code = tree.node(unit_id).code
    return (code.rsplit(".", 1)[-1] if code else str(unit_id).split("-")[0]).upper()


def format_number(
    number_format: str, *, root: str, unit: str, year: int, seq: int, series: str = REQUEST_SERIES
) -> str:
    return number_format.format(root=root, unit=unit, series=series, year=year, seq=seq)


def format_problem(number_format: str, root: str, units: list[str]) -> str | None:
    """Why `number_format` cannot number this root's requests (None: it can).

    Only the plain fields `{root}`, `{unit}`, `{series}`, `{year}`, `{seq}` (with a format
    spec such as `{seq:05d}`); `{root}`, `{year}` and `{seq}` are required so that numbers
    stay unique; a sample with the root's longest unit code must fit the column.
    """
    try:
        parsed = list(string.Formatter().parse(number_format))
    except ValueError:
        return "syntax"
    names = {name for _, name, _, _ in parsed if name is not None}
    if not names <= FIELDS or any(conv for _, name, _, conv in parsed if name is not None):
        return "fields"
    if not names >= REQUIRED_FIELDS:
        return "required"
    longest = max(units, key=len, default=root)
    try:
        sample = format_number(number_format, root=root, unit=longest, year=2026, seq=99999)
    except (ValueError, TypeError):
        return "spec"
    return "length" if len(sample) > MAX_LENGTH else None
