"""Who may do what where: roles held at units, over the unit tree (pure; no routes, no tables).

ARCHITECTURE.md "Tenancy and permissions": a grant is (user, role, unit) and a role
held at a unit applies to that unit and every unit below it. DOMAIN.md 2.3 lists the
roles. The grants come from the caller's access token (`Claims.grants`); the tree from
the `units` table (`load_tree`). The tree itself and the subtree rule (`UnitTree`,
`holds`, `grants_of`, `units_with`) are the kit's (`ppid_kit.unit_tree`), shared with the
services that keep a cached copy of the tree; they are re-exported here.

Visibility (API.md: "404 also for what the caller may not know exists"): units are a
public directory, so a refused action on a unit is a 403. Things that are not public
(officials, API clients, grants) belong to a root; callers who are not officials of that
root get a 404 for them (`hidden=True`), officials of the root without the role a 403.
"""

from __future__ import annotations

import uuid
from typing import Final

import sqlalchemy as sa
from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError, Text
from ppid_kit.unit_tree import GrantSource as GrantSource
from ppid_kit.unit_tree import UnitNode as UnitNode
from ppid_kit.unit_tree import UnitTree as UnitTree
from ppid_kit.unit_tree import grants_of as grants_of
from ppid_kit.unit_tree import holds as holds
from ppid_kit.unit_tree import units_with as units_with
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


async def load_tree(session: AsyncSession) -> UnitTree:
    """The whole tree, read once per session (one request) and kept in `session.info`."""
    cached = session.info.get(_TREE_KEY)
    if isinstance(cached, UnitTree):
        return cached
    columns = (col(Unit.id), col(Unit.parent_id), col(Unit.root_id), col(Unit.is_active))
    rows = (await session.execute(sa.select(*columns))).all()
    tree = UnitTree.from_rows(rows)
    session.info[_TREE_KEY] = tree
    return tree


def forget_tree(session: AsyncSession) -> None:
    """Drop the session's cached tree after a change to `units` (the next read reloads it)."""
    session.info.pop(_TREE_KEY, None)


def covered_units(source: GrantSource, role: str, tree: UnitTree) -> set[uuid.UUID]:
    """Every unit where `role` applies: the subtrees of the units it is granted at."""
    return tree.units_under(source, role)


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
