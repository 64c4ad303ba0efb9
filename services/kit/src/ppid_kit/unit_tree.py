"""The unit tree and who holds a role where (ARCHITECTURE.md "Tenancy and permissions").

A grant is (user, role, unit); a role held at a unit applies to that unit and every
unit below it. `UnitTree` is the tree in memory (immutable), `holds` decides one
grant question, `UnitTree.units_under` turns "my units" into ids for a query.

Auth builds its tree from its own `units` rows (`UnitTree.from_rows`); every other
service keeps a copy fetched from auth's `GET /v1/units/tree` (`UnitTreeCache`),
revalidated with `If-None-Match` at most every `refresh_seconds`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Any, overload

import httpx
from fastapi import Depends, Request

from ppid_kit.problems import SERVICE_UNAVAILABLE, ProblemError, Text
from ppid_kit.tokens import Claims, Grant

_log = logging.getLogger("ppid_kit.unit_tree")

Row = tuple[uuid.UUID, uuid.UUID | None, uuid.UUID, bool]
GrantSource = Claims | Iterable[Grant]

_TREE_UNAVAILABLE = Text(
    "Pohon unit belum dapat dimuat dari layanan auth; coba lagi sebentar lagi.",
    "The unit tree could not be loaded from the auth service yet; try again shortly.",
)


@dataclass(frozen=True)
class UnitNode:
    id: uuid.UUID
    parent_id: uuid.UUID | None
    root_id: uuid.UUID
    is_active: bool
    # Known when the tree came from auth's JSON (not from bare rows): the registration
    # numbers and the calendar of the requests service use them.
    code: str = ""
    name: str = ""
    time_zone: str | None = None
    # The PPID office's public address (UU Pasal 13), for officials' deadline reminders.
    contact_email: str | None = None
    # The PPID the unit carries (`utama`, `pelaksana`, `none`; auth's `units.ppid`), for
    # the PPID Utama's monitoring of its units (DOMAIN.md 16). None: not in the tree JSON.
    ppid: str | None = None


@dataclass(frozen=True, eq=False)
class UnitTree:
    """The unit tree in memory; every lookup of an unknown id raises `KeyError`.

    Build it with `build(nodes)`, `from_rows(rows)` or `from_json(body)`; it never
    changes afterwards (a new tree replaces it).
    """

    nodes: Mapping[uuid.UUID, UnitNode]
    children: Mapping[uuid.UUID, tuple[uuid.UUID, ...]]

    @classmethod
    def build(cls, nodes: Iterable[UnitNode]) -> UnitTree:
        by_id = {node.id: node for node in nodes}
        kids: dict[uuid.UUID, list[uuid.UUID]] = {unit_id: [] for unit_id in by_id}
        for node in by_id.values():
            if node.parent_id is not None:
                kids.setdefault(node.parent_id, []).append(node.id)
        frozen = {unit_id: tuple(found) for unit_id, found in kids.items()}
        return cls(MappingProxyType(by_id), MappingProxyType(frozen))

    @classmethod
    def from_rows(cls, rows: Iterable[Row] | Iterable[Any]) -> UnitTree:
        """From `(id, parent_id, root_id, is_active)` rows, e.g. a `select` of `units`."""
        return cls.build(UnitNode(*row) for row in rows)

    @classmethod
    def from_json(cls, body: Any) -> UnitTree:
        """From auth's `GET /v1/units/tree` body: `{"root", "units": [UnitPublic…]}`."""
        units = body["units"]
        if not isinstance(units, list):
            raise TypeError("units is not a list")
        return cls.build(
            UnitNode(
                uuid.UUID(unit["id"]),
                None if unit["parent_id"] is None else uuid.UUID(unit["parent_id"]),
                uuid.UUID(unit["root_id"]),
                bool(unit["is_active"]),
                str(unit.get("code") or ""),
                str(unit.get("name") or ""),
                unit.get("time_zone"),
                unit.get("contact_email") or None,
                unit.get("ppid") or None,
            )
            for unit in units
        )

    @property
    def ids(self) -> frozenset[uuid.UUID]:
        return frozenset(self.nodes)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.nodes

    def __iter__(self) -> Iterator[uuid.UUID]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def parent(self, unit_id: uuid.UUID) -> uuid.UUID | None:
        return self.nodes[unit_id].parent_id

    parent_of = parent

    def root_of(self, unit_id: uuid.UUID) -> uuid.UUID:
        return self.nodes[unit_id].root_id

    def node(self, unit_id: uuid.UUID) -> UnitNode:
        return self.nodes[unit_id]

    def is_active(self, unit_id: uuid.UUID) -> bool:
        return self.nodes[unit_id].is_active

    active = is_active

    def roots(self) -> list[uuid.UUID]:
        return [node.id for node in self.nodes.values() if node.parent_id is None]

    def ancestors(self, unit_id: uuid.UUID) -> list[uuid.UUID]:
        """The units strictly above `unit_id`, nearest first, the root last."""
        found: list[uuid.UUID] = []
        parent = self.nodes[unit_id].parent_id
        while parent is not None:
            found.append(parent)
            parent = self.nodes[parent].parent_id
        return found

    def path(self, unit_id: uuid.UUID) -> list[uuid.UUID]:
        """`unit_id` and its ancestors: the units whose grants cover it."""
        return [unit_id, *self.ancestors(unit_id)]

    def subtree(self, unit_id: uuid.UUID) -> set[uuid.UUID]:
        """`unit_id` and every unit below it."""
        if unit_id not in self.nodes:
            raise KeyError(unit_id)
        found: set[uuid.UUID] = set()
        stack = [unit_id]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(self.children.get(current, ()))
        return found

    @overload
    def contains(self, unit_id: uuid.UUID, /) -> bool: ...
    @overload
    def contains(self, ancestor: uuid.UUID, unit_id: uuid.UUID, /) -> bool: ...
    def contains(self, first: uuid.UUID, second: uuid.UUID | None = None, /) -> bool:
        """`contains(unit)`: the unit exists. `contains(ancestor, unit)`: `unit` is
        `ancestor` or below it (False when either is unknown)."""
        if second is None:
            return first in self.nodes
        return first in self.nodes and second in self.nodes and first in self.path(second)

    def is_within(self, unit_id: uuid.UUID, ancestor_id: uuid.UUID) -> bool:
        """True when `unit_id` is `ancestor_id` or below it (`KeyError` if unknown)."""
        return ancestor_id in self.path(unit_id)

    def units_under(self, grants: GrantSource, role: str) -> set[uuid.UUID]:
        """Every unit where `role` applies: the subtrees of the known units it is granted at."""
        covered: set[uuid.UUID] = set()
        for unit_id in units_with(grants, role) & self.nodes.keys():
            covered |= self.subtree(unit_id)
        return covered


def grants_of(source: GrantSource) -> list[Grant]:
    """The grants that count: a token's only when it is an official's (`typ == "official"`)."""
    if isinstance(source, Claims):
        return list(source.grants) if source.typ == "official" else []
    return list(source)


def _unit_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def units_with(source: GrantSource, role: str) -> set[uuid.UUID]:
    """The units where `role` is granted (not yet widened to their subtrees)."""
    found = (_unit_uuid(g.unit_id) for g in grants_of(source) if g.role == role)
    return {unit_id for unit_id in found if unit_id is not None}


def holds(source: GrantSource, role: str, unit_id: uuid.UUID, tree: UnitTree) -> bool:
    """True when `role` is granted at `unit_id` or at a unit above it."""
    if unit_id not in tree:
        return False
    return not units_with(source, role).isdisjoint(tree.path(unit_id))


class UnitTreeCache:
    """Auth's unit tree, fetched over HTTP and revalidated with `If-None-Match`.

    `await get()` checks with auth at most every `refresh_seconds` (one request at a
    time); a `304` keeps the tree, a failure keeps the last good tree. Only when no
    tree was ever fetched does it raise a 503 problem (retried every `retry_seconds`).
    """

    def __init__(
        self,
        url: str,
        client: httpx.AsyncClient,
        *,
        refresh_seconds: float = 30.0,
        retry_seconds: float = 2.0,
    ) -> None:
        self.url = url
        self._client = client
        self._refresh = refresh_seconds
        self._retry = min(retry_seconds, refresh_seconds)
        self._tree: UnitTree | None = None
        self._etag: str | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()
        self.requests = 0  # requests sent to auth (for tests and metrics)
        self.not_modified = 0  # of which answered 304

    @property
    def tree(self) -> UnitTree | None:
        """The tree held now, without checking with auth."""
        return self._tree

    def _due(self) -> bool:
        if self._attempted_at is None:
            return True
        wait = self._refresh if self._tree is not None else self._retry
        return time.monotonic() - self._attempted_at >= wait

    async def get(self) -> UnitTree:
        # Without a tree, wait for a fetch in flight rather than answer 503 beside it.
        if self._due() or (self._tree is None and self._lock.locked()):
            async with self._lock:
                if self._due():  # the tasks that queued on the lock find it fresh
                    await self._fetch()
        if self._tree is None:
            retry_after = str(max(1, math.ceil(self._retry)))
            raise ProblemError(
                SERVICE_UNAVAILABLE, _TREE_UNAVAILABLE, headers={"Retry-After": retry_after}
            )
        return self._tree

    async def _fetch(self) -> None:
        self._attempted_at = time.monotonic()
        headers = {"If-None-Match": self._etag} if self._etag and self._tree else {}
        self.requests += 1
        try:
            response = await self._client.get(self.url, headers=headers)
            if response.status_code == httpx.codes.NOT_MODIFIED and self._tree is not None:
                self.not_modified += 1
                return
            response.raise_for_status()
            tree = UnitTree.from_json(response.json())
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            # Keep deciding with the tree we have: a blip at auth must not refuse everyone.
            _log.warning("unit tree fetch failed: %s", type(exc).__name__)
            return
        self._tree = tree
        self._etag = response.headers.get("ETag")


async def current_unit_tree(request: Request) -> UnitTree:
    """The app's tree (`app.state.unit_tree`, a `UnitTreeCache`), revalidated as needed."""
    cache: UnitTreeCache = request.app.state.unit_tree
    return await cache.get()


UnitTreeDep = Annotated[UnitTree, Depends(current_unit_tree)]
