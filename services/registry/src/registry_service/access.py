"""Who may do what in the registry (DOMAIN.md 2.3; ARCHITECTURE.md Tenancy).

A role held at a unit covers that unit and everything below it (the kit's subtree
rule, over auth's cached unit tree). The PPID Pelaksana maintains its unit's DIP;
the PPID Utama does everything for every unit of its root and alone verifies.
Officials of a root (any role) read its unpublished entries; everyone reads the
published DIP.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError, Text
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree, holds, units_with

PPID_UTAMA = "ppid_utama"
PPID_PELAKSANA = "ppid_pelaksana"
ADMIN = "admin"
# The roles of officials (DOMAIN.md 2.3); `pemohon` is not one.
OFFICIAL_ROLES = (
    ADMIN,
    PPID_UTAMA,
    PPID_PELAKSANA,
    "petugas_layanan",
    "atasan_ppid",
    "tim_pertimbangan",
    "auditor",
)
# Strongest first: the role recorded as the actor's when several cover the unit.
EDITOR_ROLES = (PPID_UTAMA, PPID_PELAKSANA)

_UNKNOWN_UNIT = Text("Unit tidak dikenal.", "Unknown unit.")
_NOT_ALLOWED = Text(
    "Anda tidak berwenang atas informasi unit ini.",
    "You have no authority over this unit's information.",
)
_UNKNOWN_ROOT = Text("Badan publik tidak dikenal.", "Unknown public body.")
_NOT_POLICY_EDITOR = Text(
    "Hanya PPID Utama atau admin badan publik ini yang dapat mengubah kebijakannya.",
    "Only the PPID Utama or an admin of this public body may change its policy.",
)
_NOT_UTAMA = Text(
    "Hanya PPID Utama badan publik ini yang dapat melakukannya.",
    "Only the PPID Utama of this public body may do this.",
)


@dataclass(frozen=True)
class Actor:
    """Who acts: the token's subject and the role that allowed it (for versions and audit)."""

    user_id: uuid.UUID | None
    role: str


def _subject(claims: Claims) -> uuid.UUID | None:
    try:
        return uuid.UUID(claims.sub)
    except (TypeError, ValueError):
        return None


def _known(unit_id: uuid.UUID, tree: UnitTree) -> None:
    if unit_id not in tree:
        raise ProblemError(NOT_FOUND, _UNKNOWN_UNIT)


def editor_role(claims: Claims, unit_id: uuid.UUID, tree: UnitTree) -> str | None:
    """The strongest role that lets the caller maintain `unit_id`'s entries, if any."""
    return next((r for r in EDITOR_ROLES if holds(claims, r, unit_id, tree)), None)


def require_editor(claims: Claims, unit_id: uuid.UUID, tree: UnitTree) -> Actor:
    """PPID Pelaksana over the unit, or PPID Utama of its root: else 403 (404: unknown unit)."""
    _known(unit_id, tree)
    role = editor_role(claims, unit_id, tree)
    if role is None:
        raise ProblemError(FORBIDDEN, _NOT_ALLOWED)
    return Actor(_subject(claims), role)


def require_ppid_utama(claims: Claims, unit_id: uuid.UUID, tree: UnitTree) -> Actor:
    """The PPID Utama over `unit_id` (for a root-wide act, pass the root's id)."""
    _known(unit_id, tree)
    if not holds(claims, PPID_UTAMA, unit_id, tree):
        raise ProblemError(FORBIDDEN, _NOT_UTAMA)
    return Actor(_subject(claims), PPID_UTAMA)


def is_official_of_root(claims: Claims | None, root_id: uuid.UUID, tree: UnitTree) -> bool:
    """Any official role at any unit of `root_id` (reads of unpublished information)."""
    if claims is None:
        return False
    held: set[uuid.UUID] = set().union(*(units_with(claims, role) for role in OFFICIAL_ROLES))
    return any(unit in tree and tree.root_of(unit) == root_id for unit in held)


def official_role_in_root(claims: Claims, root_id: uuid.UUID, tree: UnitTree) -> Actor:
    """Any official of the root (e.g. the PPID Utama's freshness view): else 403."""
    _known(root_id, tree)
    if not is_official_of_root(claims, root_id, tree):
        raise ProblemError(FORBIDDEN, _NOT_ALLOWED)
    role = next(
        r
        for r in OFFICIAL_ROLES
        if any(tree.root_of(u) == root_id for u in units_with(claims, r) if u in tree)
    )
    return Actor(_subject(claims), role)


def roots_of_official(claims: Claims, tree: UnitTree) -> set[uuid.UUID]:
    """The roots where the caller holds any official role (the officials' lists)."""
    held: set[uuid.UUID] = set().union(*(units_with(claims, role) for role in OFFICIAL_ROLES))
    return {tree.root_of(unit) for unit in held if unit in tree}


def require_root(root_id: uuid.UUID, tree: UnitTree) -> None:
    """404 unless `root_id` is a root (a badan publik) of the tree."""
    if root_id not in tree or tree.root_of(root_id) != root_id:
        raise ProblemError(NOT_FOUND, _UNKNOWN_ROOT)


def require_policy_editor(claims: Claims, root_id: uuid.UUID, tree: UnitTree) -> Actor:
    """The PPID Utama or an admin of the root (its DIP policy): else 403 (404: no such root)."""
    require_root(root_id, tree)
    role = next((r for r in (PPID_UTAMA, ADMIN) if holds(claims, r, root_id, tree)), None)
    if role is None:
        raise ProblemError(FORBIDDEN, _NOT_POLICY_EDITOR)
    return Actor(_subject(claims), role)
