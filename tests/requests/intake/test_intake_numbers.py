"""Registration numbers (DOMAIN.md 8.6): gap-free per root and year under concurrency, a
failed submission gives its number back, the root's format applies."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from ppid_kit.unit_tree import UnitTree
from requests_service.core.models import ActorType
from requests_service.intake import numbers
from requests_service.intake.rules import Caller
from requests_service.intake.schemas import RequestSubmission
from requests_service.intake.service import submit_request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.requests.harness import DISDIK_ID, AuthStack, requests_settings
from tests.requests.people import PEOPLE
from tests.requests.support import form, submit
from tests.services.support import engine_for, rows


class Refused(Exception):
    """Raised inside a transaction to roll it back."""


@pytest.fixture
async def engine(requests_database: str) -> AsyncIterator[AsyncEngine]:
    async with engine_for(requests_database, pool_size=25) as made:
        yield made


def seq_of(number: str) -> int:
    return int(number.rsplit("/", 1)[1])


async def test_concurrent_submissions_are_numbered_without_gaps(
    requests_client: httpx.AsyncClient, requests_database: str
) -> None:
    bodies = [
        form(PEOPLE[i % 4], target_unit_id=str(DISDIK_ID)) if i % 2 else form(PEOPLE[i % 4])
        for i in range(20)
    ]
    made = await asyncio.gather(*(submit(requests_client, body) for body in bodies))
    seqs = sorted(seq_of(m["registration_number"]) for m in made)
    assert seqs == list(range(seqs[0], seqs[0] + 20))
    stored = await rows(requests_database, "SELECT seq FROM information_requests ORDER BY seq")
    assert [row.seq for row in stored] == list(range(1, len(stored) + 1))
    units = {m["registration_number"].split("/")[1] for m in made}
    assert units == {"DINKES", "DISDIK"}


async def test_numbers_are_per_root_and_year_and_a_rollback_gives_one_back(
    engine: AsyncEngine,
) -> None:
    roots = [uuid.uuid4(), uuid.uuid4()]

    async def take(root: uuid.UUID, year: int, keep: bool) -> int | None:
        async with AsyncSession(engine) as session:
            transaction = await session.begin()
            seq = await numbers.next_seq(session, root, year, numbers.REQUEST_SERIES)
            await asyncio.sleep(0.005)
            if keep:
                await transaction.commit()
                return seq
            await transaction.rollback()
            return None

    plan = [(roots[i % 2], 2025 + (i // 2) % 2, i % 5 != 3) for i in range(20)]
    taken = await asyncio.gather(*(take(*step) for step in plan))
    for root in roots:
        for year in (2025, 2026):
            kept = sorted(
                seq
                for (r, y, _), seq in zip(plan, taken, strict=True)
                if (r, y) == (root, year) and seq is not None
            )
            assert kept == list(range(1, len(kept) + 1)), (root, year, kept)
    assert sum(seq is None for seq in taken) == 4


async def test_a_submission_that_fails_after_its_number_gives_it_back(
    requests_client: httpx.AsyncClient,
    auth_stack: AuthStack,
    requests_database: str,
    engine: AsyncEngine,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    before = await submit(requests_client)
    settings = requests_settings(auth_stack, requests_database, tmp_path_factory.mktemp("o"))
    async with httpx.AsyncClient() as http:
        tree = UnitTree.from_json((await http.get(f"{auth_stack.url}/v1/units/tree")).json())
    body = RequestSubmission.model_validate(form())
    failed: list[str] = []
    now = dt.datetime.now(dt.UTC)

    async def fail_after_the_number() -> None:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            made = await submit_request(
                session, tree, body, Caller(ActorType.ANONYMOUS), settings, now=now
            )
            failed.append(made.request.registration_number)
            raise Refused

    with pytest.raises(Refused):
        await fail_after_the_number()
    after = await submit(requests_client)
    assert seq_of(failed[0]) == seq_of(before["registration_number"]) + 1
    assert after["registration_number"] == failed[0]


@pytest.mark.parametrize(
    ("number_format", "problem"),
    [
        ("{root}/{unit}/{series}/{year}/{seq:05d}", None),
        ("{root}-{year}-{seq}", None),
        ("{root}/{year}", "required"),
        ("{unit}/{year}/{seq}", "required"),
        ("{root}/{year}/{seq}/{name}", "fields"),
        ("{root.__class__}/{year}/{seq}", "fields"),
        ("{root!r}/{year}/{seq}", "fields"),
        ("{}/{root}/{year}/{seq}", "fields"),
        ("{root}/{year}/{seq", "syntax"),
        ("{root}/{year}/{seq:zz}", "spec"),
        ("{root}/{year}/{seq:0200d}", "length"),
    ],
)
def test_number_formats(number_format: str, problem: str | None) -> None:
    assert numbers.format_problem(number_format, "KOTA-CONTOH", ["DINKES", "RSUD"]) == problem


def test_unit_codes_are_the_last_segment_upper_cased() -> None:
    tree = UnitTree.from_json(
        {
            "units": [
                {
                    "id": str(DISDIK_ID),
                    "parent_id": None,
                    "root_id": str(DISDIK_ID),
                    "is_active": True,
                    "code": "kota-contoh.disdik",
                }
            ]
        }
    )
    assert numbers.unit_code(tree, DISDIK_ID) == "DISDIK"
    number = numbers.format_number(
        "{root}/{unit}/{series}/{year}/{seq:05d}", root="KOTA", unit="DISDIK", year=2026, seq=7
    )
    assert number == "KOTA/DISDIK/PI/2026/00007"
