"""Who may do what in the registry (DOMAIN.md 2.3; ARCHITECTURE.md Tenancy).

A role held at a unit covers that unit and everything below it (the kit's subtree
rule, over auth's cached unit tree). The PPID Pelaksana maintains its unit's DIP;
the PPID Utama does everything for every unit of its root and alone verifies.
Officials of a root (any role) read its unpublished entries; everyone reads the
published DIP.
"""

from __future__ import annotations

import uuid

from ppid_kit.access import (
    ADMIN,
    OFFICIAL_ROLES,
    PPID_PELAKSANA,
    PPID_UTAMA,
    Actor,
    is_official_of_root,
    require_role,
    require_root,
    roots_of_official,
    strongest_role,
)
from ppid_kit.access import official_role_in_root as _official_role_in_root
from ppid_kit.problems import Text
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree

__all__ = [
    "ADMIN",
    "OFFICIAL_ROLES",
    "PPID_PELAKSANA",
    "PPID_UTAMA",
    "Actor",
    "editor_role",
    "is_official_of_root",
    "official_role_in_root",
    "require_editor",
    "require_policy_editor",
    "require_ppid_utama",
    "require_root",
    "roots_of_official",
]

# Strongest first: the role recorded as the actor's when several cover the unit.
EDITOR_ROLES = (PPID_UTAMA, PPID_PELAKSANA)

_NOT_ALLOWED = Text(
    "Anda tidak berwenang atas informasi unit ini.",
    "You have no authority over this unit's information.",
)
_NOT_POLICY_EDITOR = Text(
    "Hanya PPID Utama atau admin badan publik ini yang dapat mengubah kebijakannya.",
    "Only the PPID Utama or an admin of this public body may change its policy.",
)
_NOT_UTAMA = Text(
    "Hanya PPID Utama badan publik ini yang dapat melakukannya.",
    "Only the PPID Utama of this public body may do this.",
)


def editor_role(claims: Claims, unit_id: uuid.UUID, tree: UnitTree) -> str | None:
    """The strongest role that lets the caller maintain `unit_id`'s entries, if any."""
    return strongest_role(claims, EDITOR_ROLES, unit_id, tree)


def require_editor(claims: Claims, unit_id: uuid.UUID, tree: UnitTree) -> Actor:
    """PPID Pelaksana over the unit, or PPID Utama of its root: else 403 (404: unknown unit)."""
    return require_role(claims, EDITOR_ROLES, unit_id, tree, _NOT_ALLOWED)


def require_ppid_utama(claims: Claims, unit_id: uuid.UUID, tree: UnitTree) -> Actor:
    """The PPID Utama over `unit_id` (for a root-wide act, pass the root's id)."""
    return require_role(claims, (PPID_UTAMA,), unit_id, tree, _NOT_UTAMA)


def official_role_in_root(claims: Claims, root_id: uuid.UUID, tree: UnitTree) -> Actor:
    """Any official of the root (e.g. the PPID Utama's freshness view): else 403."""
    return _official_role_in_root(claims, root_id, tree, _NOT_ALLOWED)


def require_policy_editor(claims: Claims, root_id: uuid.UUID, tree: UnitTree) -> Actor:
    """The PPID Utama or an admin of the root (its DIP policy): else 403 (404: no such root)."""
    require_root(root_id, tree)
    return require_role(claims, (PPID_UTAMA, ADMIN), root_id, tree, _NOT_POLICY_EDITOR)
