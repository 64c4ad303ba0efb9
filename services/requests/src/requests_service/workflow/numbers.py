"""Gap-free numbers of refusal decrees: the `SK` series of `number_counters` (DOMAIN.md 8.6).

The counter row is upserted and stays locked until the issuing transaction ends, so a
rolled-back refusal gives its number back. The format is the root's `number_format`
(`{root}/{unit}/{series}/{year}/{seq:05d}` by default): `KOTA-CONTOH/DINKES/SK/2026/00001`.
"""

from __future__ import annotations

import uuid

from ppid_kit.unit_tree import UnitTree
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.core.models import InformationRequest, NumberCounter, RequestPolicy

DECREE_SERIES = "SK"
DEFAULT_FORMAT = "{root}/{unit}/{series}/{year}/{seq:05d}"


async def next_seq(session: AsyncSession, root_id: uuid.UUID, year: int, series: str) -> int:
    stmt = (
        insert(NumberCounter)
        .values(root_id=root_id, year=year, series=series, last=1)
        .on_conflict_do_update(
            index_elements=["root_id", "year", "series"],
            set_={"last": col(NumberCounter.last) + 1},
        )
        .returning(col(NumberCounter.last))
    )
    return int((await session.execute(stmt)).scalar_one())


def _code(tree: UnitTree, unit_id: uuid.UUID, *, last_segment: bool) -> str:
    node = tree.nodes.get(unit_id)
    code = node.code if node is not None else ""
    if last_segment:
        code = code.rsplit(".", 1)[-1]
    return code.upper() or str(unit_id)[:8].upper()


def format_number(
    number_format: str, *, root: str, unit: str, series: str, year: int, seq: int
) -> str:
    values = {"root": root, "unit": unit, "series": series, "year": year, "seq": seq}
    try:
        return number_format.format(**values)
    except (KeyError, IndexError, ValueError):  # a broken format never blocks a decree
        return DEFAULT_FORMAT.format(**values)


async def decree_number(
    session: AsyncSession,
    request: InformationRequest,
    policy: RequestPolicy | None,
    tree: UnitTree,
    year: int,
) -> tuple[int, str]:
    """(seq, number) of the next refusal decree of the request's root in `year`."""
    seq = await next_seq(session, request.root_id, year, DECREE_SERIES)
    number = format_number(
        policy.number_format if policy is not None else DEFAULT_FORMAT,
        root=_code(tree, request.root_id, last_segment=False),
        unit=_code(tree, request.unit_id, last_segment=True),
        series=DECREE_SERIES,
        year=year,
        seq=seq,
    )
    return seq, number
