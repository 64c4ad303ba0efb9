"""Issue 3's permission matrix: every role at every position of the demo tree tries every
admin action on every unit (and on a second root's units); only admins over the right
unit succeed, the rest get 403, or 404 where the target is not theirs to know about.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
from auth_service.demo import data as demo
from auth_service.demo.seed import seed
from auth_service.permissions import OFFICIAL_ROLES

from tests.auth.units.matrix import ACTIONS, Action, Caller, World, build_world, expected_status
from tests.auth.units.support import Minter, serve_auth, settings_for
from tests.services.support import database_session

DEMO_UNITS = (demo.ROOT_ID, *(unit.id for unit in demo.UNITS))
# Refusals change nothing, so they run side by side; successes run one by one and are undone.
PARALLEL = 8


@dataclass(frozen=True)
class Case:
    action: Action
    caller: Caller
    target: uuid.UUID
    expected: int | None  # None: a success (2xx)


@dataclass
class Tally:
    counts: Counter[str]
    wrong: list[str]

    def record(self, case: Case, status: int) -> None:
        self.counts["attempted"] += 1
        ok = 200 <= status < 300
        self.counts["succeeded" if ok else f"refused {status}"] += 1
        if (case.expected is None and not ok) or (
            case.expected is not None and case.expected != status
        ):
            who, wanted = f"{case.caller.role}@{case.caller.unit}", case.expected or "2xx"
            self.wrong.append(f"{case.action.name} by {who} on {case.target}: {status} ≠ {wanted}")


@pytest.fixture(scope="module")
async def world(database_url: str) -> World:
    async with database_session(database_url) as session:
        await seed(session, settings_for(database_url))
        return await build_world(session)


@pytest.fixture(scope="module")
async def served_world(
    database_url: str, world: World
) -> AsyncIterator[tuple[httpx.AsyncClient, Minter, World]]:
    async with serve_auth(database_url) as (client, minter):
        roots = {world.tree.root_of(t) for t in world.targets}
        world.operator = minter.headers([("admin", root) for root in roots])
        yield client, minter, world


def callers(minter: Minter) -> Iterator[Caller]:
    for role in OFFICIAL_ROLES:
        for unit in DEMO_UNITS:
            yield Caller(role, unit, minter.headers([(role, unit)]))
    yield Caller("pemohon", None, minter.headers([], typ="requester"))


def cases(minter: Minter, world: World) -> list[Case]:
    found = []
    for caller in callers(minter):
        for action in ACTIONS:
            for target in world.targets:
                if action.roots_only and world.tree.parent_of(target) is not None:
                    continue
                found.append(
                    Case(action, caller, target, expected_status(action, world, caller, target))
                )
    return found


async def run_case(client: httpx.AsyncClient, world: World, case: Case, tally: Tally) -> None:
    response = await case.action.attempt(client, world, case.caller, case.target)
    tally.record(case, response.status_code)
    if response.is_success and case.action.undo is not None:
        await case.action.undo(client, world, case.caller, case.target, response)


async def test_only_admins_over_the_unit_may_act(
    served_world: tuple[httpx.AsyncClient, Minter, World], capsys: pytest.CaptureFixture[str]
) -> None:
    client, minter, world = served_world
    all_cases = cases(minter, world)
    tally = Tally(Counter(), [])
    gate = asyncio.Semaphore(PARALLEL)

    async def refused(case: Case) -> None:
        async with gate:
            await run_case(client, world, case, tally)

    await asyncio.gather(*(refused(c) for c in all_cases if c.expected in (403, 404)))
    for case in all_cases:
        if case.expected not in (403, 404):
            await run_case(client, world, case, tally)

    by_action = Counter(c.action.name for c in all_cases if c.expected is None)
    with capsys.disabled():
        refusals = tally.counts["refused 403"] + tally.counts["refused 404"]
        print(f"\npermission matrix: {tally.counts['attempted']} attempted, {refusals} refused")
        print(f"  by outcome: {dict(tally.counts)}")
        print(f"  successes by action: {dict(by_action)}")
    assert not tally.wrong, "\n".join(tally.wrong[:30])
    assert tally.counts["attempted"] == len(all_cases)
    # Every action was both allowed somewhere and refused somewhere: the matrix tests both.
    assert set(by_action) == {a.name for a in ACTIONS}
    assert min(tally.counts["refused 403"], tally.counts["refused 404"]) > 0
