"""Who may act where: roles held at units over auth's cached unit tree (ARCHITECTURE.md).

A role held at a unit covers that unit and everything below it (`unit_tree.holds`).
These helpers turn a token's grants into an `Actor` (who acted, in which role) or a
problem response: 404 for a unit or root the tree does not know, 403 otherwise.
Each service keeps its own rules (which roles may do what) and calls these.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError, Text
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree, holds, units_with

ADMIN = "admin"
PPID_UTAMA = "ppid_utama"
PPID_PELAKSANA = "ppid_pelaksana"
PETUGAS_LAYANAN = "petugas_layanan"
ATASAN_PPID = "atasan_ppid"
TIM_PERTIMBANGAN = "tim_pertimbangan"
AUDITOR = "auditor"
# The roles of officials (DOMAIN.md 2.3); `pemohon` is not one.
OFFICIAL_ROLES = (
    ADMIN,
    PPID_UTAMA,
    PPID_PELAKSANA,
    PETUGAS_LAYANAN,
    ATASAN_PPID,
    TIM_PERTIMBANGAN,
    AUDITOR,
)

UNKNOWN_UNIT = Text("Unit tidak dikenal.", "Unknown unit.")
UNKNOWN_ROOT = Text("Badan publik tidak dikenal.", "Unknown public body.")


@dataclass(frozen=True)
class Actor:
    """Who acts: the token's subject and the role that allowed it (for history and audit)."""

    user_id: uuid.UUID | None
    role: str


def subject_id(claims: Claims) -> uuid.UUID | None:
    """The token's `sub` as a UUID (None for a subject that is not one, e.g. a client)."""
    try:
        return uuid.UUID(claims.sub)
    except (TypeError, ValueError):
        return None


def require_known(unit_id: uuid.UUID, tree: UnitTree) -> None:
    """404 unless the tree knows `unit_id`."""
    if unit_id not in tree:
        raise ProblemError(NOT_FOUND, UNKNOWN_UNIT)


def strongest_role(
    claims: Claims, roles: Sequence[str], unit_id: uuid.UUID, tree: UnitTree
) -> str | None:
    """The first of `roles` (strongest first) the caller holds over `unit_id`, if any."""
    return next((role for role in roles if holds(claims, role, unit_id, tree)), None)


def require_role(
    claims: Claims, roles: Sequence[str], unit_id: uuid.UUID, tree: UnitTree, refused: Text
) -> Actor:
    """One of `roles` over `unit_id`, as an `Actor`: else 403 with `refused` (404: unknown)."""
    require_known(unit_id, tree)
    role = strongest_role(claims, roles, unit_id, tree)
    if role is None:
        raise ProblemError(FORBIDDEN, refused)
    return Actor(subject_id(claims), role)


def _held_units(claims: Claims, roles: Sequence[str]) -> set[uuid.UUID]:
    return set().union(*(units_with(claims, role) for role in roles))


def roots_of_official(
    claims: Claims, tree: UnitTree, roles: Sequence[str] = OFFICIAL_ROLES
) -> set[uuid.UUID]:
    """The roots where the caller holds one of `roles` (any official role by default)."""
    return {tree.root_of(unit) for unit in _held_units(claims, roles) if unit in tree}


def is_official_of_root(claims: Claims | None, root_id: uuid.UUID, tree: UnitTree) -> bool:
    """Any official role at any unit of `root_id`."""
    return claims is not None and root_id in roots_of_official(claims, tree)


def official_role_in_root(
    claims: Claims, root_id: uuid.UUID, tree: UnitTree, refused: Text
) -> Actor:
    """Any official of the root, as an `Actor` with their strongest role there: else 403."""
    require_known(root_id, tree)
    for role in OFFICIAL_ROLES:
        if any(tree.root_of(u) == root_id for u in units_with(claims, role) if u in tree):
            return Actor(subject_id(claims), role)
    raise ProblemError(FORBIDDEN, refused)


def require_root(root_id: uuid.UUID, tree: UnitTree) -> None:
    """404 unless `root_id` is a root (a badan publik) of the tree."""
    if root_id not in tree or tree.root_of(root_id) != root_id:
        raise ProblemError(NOT_FOUND, UNKNOWN_ROOT)
