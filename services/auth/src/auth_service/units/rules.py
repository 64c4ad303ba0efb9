"""Who may change what in a unit, and which changes the tree allows.

Authority (DOMAIN.md 2.3 `admin`: "units, users" of its root): editing a unit needs admin
over it; changing its place in the tree (create below a parent, move, deactivate,
reactivate) needs admin over its parent, and a move admin over the new parent as well;
naming the PPID Utama needs admin over the root, since exactly one unit per root
carries it (DOMAIN.md 2.2).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text, register_kind
from ppid_kit.tokens import Claims

from auth_service.permissions import (
    UnitTree,
    require_admin_above,
    require_admin_over,
)
from auth_service.units.models import PpidDesignation, Unit, UnitKind

UNIT_CODE_TAKEN = register_kind(
    "unit-code-taken", 409, "Kode unit sudah dipakai", "Unit code in use"
)
UNIT_MOVE_INVALID = register_kind(
    "unit-move-invalid", 409, "Unit tidak dapat dipindahkan ke sana", "The unit cannot move there"
)
UNIT_HAS_ACTIVE_CHILDREN = register_kind(
    "unit-has-active-children",
    409,
    "Unit masih memiliki unit aktif di bawahnya",
    "The unit still has active units below it",
)
UNIT_PARENT_INACTIVE = register_kind(
    "unit-parent-inactive", 409, "Unit induk tidak aktif", "The parent unit is inactive"
)
PPID_UTAMA_REQUIRED = register_kind(
    "ppid-utama-required",
    409,
    "PPID Utama harus tetap ditetapkan",
    "The PPID Utama must stay designated",
    detail_id="Tetapkan unit lain sebagai PPID Utama; penetapan itu memindahkannya.",
    detail_en="Designate another unit as PPID Utama; that moves the designation.",
)

Changes = Mapping[str, Mapping[str, Any]]
_BELOW_ITSELF = Text(
    "Unit tidak dapat dipindahkan ke bawah dirinya sendiri.", "A unit cannot move below itself."
)
_OTHER_ROOT = Text(
    "Unit hanya dapat dipindahkan di dalam badan publiknya.",
    "A unit can only move within its own badan publik.",
)


def touches_utama(changes: Changes) -> bool:
    change = changes.get("ppid")
    return change is not None and PpidDesignation.UTAMA.value in (change["from"], change["to"])


def authorize_create(claims: Claims, parent_id: uuid.UUID, utama: bool, tree: UnitTree) -> None:
    require_admin_over(claims, parent_id, tree)
    if utama:
        require_admin_over(claims, tree.root_of(parent_id), tree)


def authorize_update(claims: Claims, unit: Unit, changes: Changes, tree: UnitTree) -> None:
    """403/404 unless the caller may make every one of `changes` (an empty PATCH too)."""
    require_admin_over(claims, unit.id, tree)
    if "parent_id" in changes or "is_active" in changes:
        require_admin_above(claims, unit.id, tree)
    if "parent_id" in changes:
        require_admin_over(claims, uuid.UUID(str(changes["parent_id"]["to"])), tree)
    if touches_utama(changes):
        require_admin_over(claims, unit.root_id, tree)


def _invalid(field: str, message: Text) -> ProblemError:
    return ProblemError(VALIDATION, errors=[FieldError(field, message)])


def check_shape(unit: Unit, changes: Changes) -> None:
    """422 for what a root or a unit can never be (DOMAIN.md 2.2: a root is the badan publik)."""
    is_root = unit.parent_id is None
    if "time_zone" in changes and not is_root:
        raise _invalid("time_zone", Text("Hanya unit akar.", "Roots only."))
    kind = changes.get("kind", {}).get("to")
    if kind is not None and (kind == UnitKind.BADAN_PUBLIK.value) != is_root:
        message = Text(
            "Badan publik hanya untuk unit akar.", "Only a root is a badan publik, and always."
        )
        raise _invalid("kind", message)
    if changes.get("ppid", {}).get("from") == PpidDesignation.UTAMA.value:
        raise ProblemError(PPID_UTAMA_REQUIRED)


def check_move(unit: Unit, new_parent: uuid.UUID, tree: UnitTree) -> None:
    """A move stays inside the root and never goes below the unit itself."""
    if tree.root_of(new_parent) != unit.root_id:
        raise ProblemError(UNIT_MOVE_INVALID, _OTHER_ROOT)
    if tree.is_within(new_parent, unit.id):
        raise ProblemError(UNIT_MOVE_INVALID, _BELOW_ITSELF)
