"""ppid_kit.unit_tree: the tree, the subtree rule, and the cache of auth's tree over HTTP."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import httpx
import pytest
from ppid_kit.problems import SERVICE_UNAVAILABLE, ProblemError
from ppid_kit.settings import ServiceSettings
from ppid_kit.tokens import Claims, Grant
from ppid_kit.unit_tree import UnitNode, UnitTree, UnitTreeCache, holds

from tests.kit.helpers import build_app, serving
from tests.support.loopback import Answer, LoopbackServer
from tests.support.procs import free_port

ROOT, OPD, UPT, KEC, KEL, OTHER_ROOT, OTHER_OPD = (uuid.uuid4() for _ in range(7))
ROWS = [
    (ROOT, None, ROOT, True),
    (OPD, ROOT, ROOT, True),
    (UPT, OPD, ROOT, True),
    (KEC, ROOT, ROOT, True),
    (KEL, KEC, ROOT, False),
    (OTHER_ROOT, None, OTHER_ROOT, True),
    (OTHER_OPD, OTHER_ROOT, OTHER_ROOT, True),
]


def claims(*grants: tuple[str, uuid.UUID | str], typ: str | None = "official") -> Claims:
    return Claims(
        sub="u",
        typ=typ,
        aud="terbuka",
        iss="terbuka-auth",
        exp=0,
        jti="j",
        grants=[Grant(role=role, unit_id=str(unit)) for role, unit in grants],
    )


def unit_json(row: tuple[uuid.UUID, uuid.UUID | None, uuid.UUID, bool]) -> dict[str, Any]:
    """A unit as auth's `UnitPublic` sends it (the fields the tree does not need trimmed)."""
    unit_id, parent, root, active = row
    parent_id = None if parent is None else str(parent)
    return {"id": str(unit_id), "parent_id": parent_id, "root_id": str(root), "is_active": active}


class TreeServer(LoopbackServer):
    """Auth's `GET /v1/units/tree` on loopback: a strong ETag, 304 on `If-None-Match`."""

    def __init__(self) -> None:
        super().__init__("/v1/units/tree")
        self.rows = list(ROWS)
        self.version = 1
        self.conditional = 0
        self.delay = threading.Event()
        self.delay.set()

    @property
    def etag(self) -> str:
        return f'"tree-v{self.version}"'

    def answer(self, path: str, headers: Mapping[str, str]) -> Answer:
        self.delay.wait(5)
        common = {"ETag": self.etag, "Cache-Control": "no-cache"}
        if headers.get("if-none-match") is not None:
            self.conditional += 1
            if headers["if-none-match"] == self.etag:
                return 304, common, b""
        body = json.dumps({"root": None, "units": [unit_json(r) for r in self.rows]}).encode()
        return 200, {**common, "Content-Type": "application/json"}, body


@pytest.fixture
def auth() -> Iterator[TreeServer]:
    server = TreeServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def test_tree_navigation() -> None:
    t = UnitTree.from_rows(ROWS)
    assert t.ids == frozenset(row[0] for row in ROWS)
    assert (t.parent(UPT), t.parent(ROOT), t.root_of(OTHER_OPD)) == (OPD, None, OTHER_ROOT)
    assert (t.active(KEL), t.active(KEC)) == (False, True)
    assert t.ancestors(UPT) == [OPD, ROOT]
    assert t.subtree(ROOT) == {ROOT, OPD, UPT, KEC, KEL}
    assert t.subtree(KEC) == {KEC, KEL}
    assert (t.contains(OPD, UPT), t.contains(OPD, OPD), t.contains(UPT, OPD)) == (True, True, False)
    assert not t.contains(ROOT, OTHER_OPD)
    assert not t.contains(ROOT, uuid.uuid4())
    assert (t.contains(UPT), t.contains(uuid.uuid4())) == (True, False)
    with pytest.raises(KeyError):
        t.subtree(uuid.uuid4())


def test_tree_is_immutable() -> None:
    t = UnitTree.build(UnitNode(*row) for row in ROWS)
    with pytest.raises(AttributeError):
        t.nodes = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        t.nodes[uuid.uuid4()] = UnitNode(ROOT, None, ROOT, True)  # type: ignore[index]
    assert isinstance(t.children[ROOT], tuple)


@pytest.mark.parametrize(
    ("held_at", "target", "expected"),
    [
        (ROOT, KEL, True),  # the whole subtree, inactive units too
        (OPD, UPT, True),
        (OPD, OPD, True),
        (OPD, ROOT, False),  # never upwards
        (OPD, KEC, False),  # never sideways
        (ROOT, OTHER_OPD, False),  # never into another root
        (ROOT, uuid.uuid4(), False),  # an unknown unit
    ],
)
def test_a_role_covers_its_subtree(held_at: uuid.UUID, target: uuid.UUID, expected: bool) -> None:
    t = UnitTree.from_rows(ROWS)
    assert holds(claims(("admin", held_at)), "admin", target, t) is expected
    assert holds(claims(("auditor", held_at)), "admin", target, t) is False


def test_only_officials_grants_count() -> None:
    t = UnitTree.from_rows(ROWS)
    for typ in ("client", "requester", None):
        assert not holds(claims(("admin", ROOT), typ=typ), "admin", OPD, t)
    assert not holds(claims(("admin", "not-a-uuid")), "admin", OPD, t)
    assert holds([Grant(role="admin", unit_id=str(OPD))], "admin", UPT, t)


def test_units_under_turns_my_units_into_ids() -> None:
    t = UnitTree.from_rows(ROWS)
    caller = claims(("ppid_pelaksana", OPD), ("ppid_pelaksana", KEL), ("admin", OTHER_ROOT))
    assert t.units_under(caller, "ppid_pelaksana") == {OPD, UPT, KEL}
    assert t.units_under(caller, "admin") == {OTHER_ROOT, OTHER_OPD}
    assert t.units_under(claims(("admin", uuid.uuid4())), "admin") == set()
    assert t.units_under(claims(("admin", ROOT), typ="client"), "admin") == set()


async def test_first_fetch_then_304_keeps_the_tree(
    auth: TreeServer, http: httpx.AsyncClient
) -> None:
    cache = UnitTreeCache(auth.url, http, refresh_seconds=0)
    first = await cache.get()
    assert first.subtree(KEC) == {KEC, KEL}
    assert (auth.hits, auth.conditional) == (1, 0)
    second = await cache.get()
    assert second is first
    assert (auth.hits, auth.conditional, cache.not_modified) == (2, 1, 1)


async def test_a_changed_etag_replaces_the_tree(auth: TreeServer, http: httpx.AsyncClient) -> None:
    cache = UnitTreeCache(auth.url, http, refresh_seconds=0)
    assert KEL in (await cache.get()).subtree(ROOT)
    auth.rows = [row for row in ROWS if row[0] != KEL]
    auth.version = 2
    newer = await cache.get()
    assert KEL not in newer
    assert auth.conditional == 1  # asked with the old ETag, got the new tree
    assert (await cache.get()) is newer


async def test_refreshes_at_most_every_refresh_seconds(
    auth: TreeServer, http: httpx.AsyncClient
) -> None:
    cache = UnitTreeCache(auth.url, http, refresh_seconds=60)
    for _ in range(5):
        await cache.get()
    assert auth.hits == 1


async def test_auth_down_keeps_the_last_tree(auth: TreeServer, http: httpx.AsyncClient) -> None:
    cache = UnitTreeCache(auth.url, http, refresh_seconds=0)
    tree = await cache.get()
    auth.stop()  # connections are refused from now on
    assert (await cache.get()) is tree
    assert cache.requests == 2


async def test_never_fetched_and_down_is_a_503(http: httpx.AsyncClient) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1/units/tree"
    cache = UnitTreeCache(url, http, refresh_seconds=30, retry_seconds=2)
    with pytest.raises(ProblemError) as raised:
        await cache.get()
    assert raised.value.kind is SERVICE_UNAVAILABLE
    assert raised.value.kind.slug == "service-unavailable"
    assert raised.value.headers["Retry-After"] == "2"
    with pytest.raises(ProblemError):  # retried after retry_seconds, not on every call
        await cache.get()
    assert cache.requests == 1


async def test_concurrent_gets_make_one_fetch(auth: TreeServer, http: httpx.AsyncClient) -> None:
    cache = UnitTreeCache(auth.url, http, refresh_seconds=60)
    auth.delay.clear()  # hold the first answer until every caller waits
    waiting = [asyncio.create_task(cache.get()) for _ in range(10)]
    await asyncio.sleep(0.2)
    auth.delay.set()
    trees = await asyncio.gather(*waiting)
    assert auth.hits == 1
    assert all(tree is trees[0] for tree in trees)


async def test_the_app_builds_the_cache_lazily(settings: ServiceSettings) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1/units/tree"
    app = build_app(settings.model_copy(update={"unit_tree_url": url}))
    async with serving(app) as client:
        cache = app.state.unit_tree
        assert isinstance(cache, UnitTreeCache)
        assert (cache.url, cache.tree, cache.requests) == (url, None, 0)
        assert (await client.get("/readyz")).status_code == 200  # auth down: still ready


def test_settings_defaults() -> None:
    defaults = ServiceSettings()
    assert defaults.unit_tree_url == "http://127.0.0.1:8001/v1/units/tree"
    assert defaults.unit_tree_refresh_seconds == 30
