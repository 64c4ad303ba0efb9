"""Who may do what where: roles held at units, over the unit tree (pure; no routes, no tables).

ARCHITECTURE.md "Tenancy and permissions": a grant is (user, role, unit) and a role
held at a unit applies to that unit and every unit below it. DOMAIN.md 2.3 lists the
roles. The grants come from the caller's access token (`Claims.grants`); the tree from
the `units` table (`load_tree`).

Visibility (API.md: "404 also for what the caller may not know exists"): units are a
public directory, so a refused action on a unit is a 403. Things that are not public
(officials, API clients, grants) belong to a root; callers who are not officials of that
root get a 404 for them (`hidden=True`), officials of the root without the role a 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

import sqlalchemy as sa
from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError, Text
from ppid_kit.tokens import Claims, Grant
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.units.models import Unit

ADMIN: Final = "admin"
PPID_UTAMA: Final = "ppid_utama"
PPID_PELAKSANA: Final = "ppid_pelaksana"
PETUGAS_LAYANAN: Final = "petugas_layanan"
ATASAN_PPID: Final = "atasan_ppid"
TIM_PERTIMBANGAN: Final = "tim_pertimbangan"
AUDITOR: Final = "auditor"
PEMOHON: Final = "pemohon"

# DOMAIN.md 2.3; `pemohon` is the requesters' role and is never held at a unit.
OFFICIAL_ROLES: Final = (
    ADMIN,
    PPID_UTAMA,
    PPID_PELAKSANA,
    PETUGAS_LAYANAN,
    ATASAN_PPID,
    TIM_PERTIMBANGAN,
    AUDITOR,
)
ROLES: Final = (*OFFICIAL_ROLES, PEMOHON)
# Issue 3: a second factor is required for these by default (AUTH_MFA_REQUIRED_ROLES).
MFA_ROLES: Final = frozenset({ADMIN, PPID_UTAMA, ATASAN_PPID})

NO_SUCH_UNIT: Final = Text("Unit tidak ditemukan.", "No such unit.")
_NOT_ALLOWED = Text(
    "Peran Anda tidak mencakup unit ini untuk tindakan ini.",
    "Your roles do not cover this unit for this action.",
)
_NO_AUTHORITY_ABOVE_ROOT = Text(
    "Tidak ada kewenangan di atas badan publik (unit akar); hubungi operator.",
    "There is no authority above a root (badan publik); ask the operator.",
)
_TREE_KEY = "auth_service.permissions.unit_tree"


@dataclass(frozen=True)
class UnitNode:
    id: uuid.UUID
    parent_id: uuid.UUID | None
    root_id: uuid.UUID
    is_active: bool


@dataclass
class UnitTree:
    """The unit tree in memory; every lookup of an unknown id raises `KeyError`."""

    nodes: dict[uuid.UUID, UnitNode] = field(default_factory=dict)
    children: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)

    @classmethod
    def build(cls, nodes: Iterable[UnitNode]) -> UnitTree:
        tree = cls()
        for node in nodes:
            tree.nodes[node.id] = node
            tree.children.setdefault(node.id, [])
        for node in tree.nodes.values():
            if node.parent_id is not None:
                tree.children.setdefault(node.parent_id, []).append(node.id)
        return tree

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.nodes

    def contains(self, unit_id: uuid.UUID) -> bool:
        return unit_id in self.nodes

    def parent_of(self, unit_id: uuid.UUID) -> uuid.UUID | None:
        return self.nodes[unit_id].parent_id

    def root_of(self, unit_id: uuid.UUID) -> uuid.UUID:
        return self.nodes[unit_id].root_id

    def is_active(self, unit_id: uuid.UUID) -> bool:
        return self.nodes[unit_id].is_active

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

    def is_within(self, unit_id: uuid.UUID, ancestor_id: uuid.UUID) -> bool:
        """True when `unit_id` is `ancestor_id` or below it."""
        return ancestor_id in self.path(unit_id)

    def __iter__(self) -> Iterator[uuid.UUID]:
        return iter(self.nodes)


async def load_tree(session: AsyncSession) -> UnitTree:
    """The whole tree, read once per session (one request) and kept in `session.info`."""
    cached = session.info.get(_TREE_KEY)
    if isinstance(cached, UnitTree):
        return cached
    columns = (col(Unit.id), col(Unit.parent_id), col(Unit.root_id), col(Unit.is_active))
    rows = (await session.execute(sa.select(*columns))).all()
    tree = UnitTree.build(UnitNode(*row) for row in rows)
    session.info[_TREE_KEY] = tree
    return tree


def forget_tree(session: AsyncSession) -> None:
    """Drop the session's cached tree after a change to `units` (the next read reloads it)."""
    session.info.pop(_TREE_KEY, None)


GrantSource = Claims | Iterable[Grant]


def grants_of(source: GrantSource) -> list[Grant]:
    """The grants that count: a token's only when it is an official's (not a client's)."""
    if isinstance(source, Claims):
        return list(source.grants) if source.typ in (None, "official") else []
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


def covered_units(source: GrantSource, role: str, tree: UnitTree) -> set[uuid.UUID]:
    """Every unit where `role` applies: the subtrees of the units it is granted at."""
    covered: set[uuid.UUID] = set()
    for unit_id in units_with(source, role) & tree.nodes.keys():
        covered |= tree.subtree(unit_id)
    return covered


def is_official_of_root(source: GrantSource, root_id: uuid.UUID, tree: UnitTree) -> bool:
    """True when the caller holds any official role at any unit of `root_id`."""
    held = set().union(*(units_with(source, role) for role in OFFICIAL_ROLES))
    return any(unit_id in tree and tree.root_of(unit_id) == root_id for unit_id in held)


def require(
    claims: GrantSource,
    role: str,
    unit_id: uuid.UUID,
    tree: UnitTree,
    *,
    hidden: bool = False,
) -> None:
    """Refuse unless `role` covers `unit_id`: 404 for an unknown unit, else 403.

    With `hidden=True` (the resource is not public), callers who are not officials of
    the unit's root get the 404 too: they may not learn that it exists.
    """
    if unit_id not in tree:
        raise ProblemError(NOT_FOUND, NO_SUCH_UNIT)
    if holds(claims, role, unit_id, tree):
        return
    if hidden and not is_official_of_root(claims, tree.root_of(unit_id), tree):
        raise ProblemError(NOT_FOUND)
    raise ProblemError(FORBIDDEN, _NOT_ALLOWED)


def require_admin_over(
    claims: GrantSource, unit_id: uuid.UUID, tree: UnitTree, *, hidden: bool = False
) -> None:
    """DOMAIN.md 2.3: `admin` manages units, users and grants in its subtree."""
    require(claims, ADMIN, unit_id, tree, hidden=hidden)


def require_admin_above(claims: GrantSource, unit_id: uuid.UUID, tree: UnitTree) -> None:
    """Admin over the unit's parent: what changes a unit's place in the tree needs.

    Creating, moving and (de)activating a unit are decided one level up, so an admin
    cannot move or switch off the unit its own authority comes from; a root has no
    parent, so nobody may (roots are the operator's: `auth_service.units.cli`).
    """
    if unit_id not in tree:
        raise ProblemError(NOT_FOUND, NO_SUCH_UNIT)
    parent = tree.parent_of(unit_id)
    if parent is None:
        raise ProblemError(FORBIDDEN, _NO_AUTHORITY_ABOVE_ROOT)
    require(claims, ADMIN, parent, tree)


def require_official_of_root(
    claims: GrantSource, root_id: uuid.UUID, tree: UnitTree, *, hidden: bool = False
) -> None:
    """Any official role somewhere in the root (e.g. to read a unit's history)."""
    if root_id not in tree:
        raise ProblemError(NOT_FOUND, NO_SUCH_UNIT)
    if not is_official_of_root(claims, root_id, tree):
        raise ProblemError(NOT_FOUND if hidden else FORBIDDEN, None if hidden else _NOT_ALLOWED)
