"""Who may change a root's calendar: its admin or its PPID Utama (DOMAIN.md 2.3, 14.3)."""

from __future__ import annotations

import uuid

from fastapi import Request
from ppid_kit.access import ADMIN, PPID_UTAMA, Actor, require_role, require_root
from ppid_kit.problems import SERVICE_UNAVAILABLE, ProblemError, Text
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree, current_unit_tree

# Strongest first: the role recorded when the caller holds both.
EDITOR_ROLES = (PPID_UTAMA, ADMIN)

_NOT_EDITOR = Text(
    "Hanya PPID Utama atau admin badan publik ini yang dapat mengubah kalender kerjanya.",
    "Only the PPID Utama or an admin of this public body may change its working calendar.",
)


def require_calendar_editor(claims: Claims, root_id: uuid.UUID, tree: UnitTree) -> Actor:
    """The PPID Utama or an admin at the root: else 403 (404: not a root)."""
    require_root(root_id, tree)
    return require_role(claims, EDITOR_ROLES, root_id, tree, _NOT_EDITOR)


def root_time_zone(tree: UnitTree | None, root_id: uuid.UUID) -> str | None:
    """The root's zone in auth's tree (the default of a root without a policy row)."""
    if tree is None or root_id not in tree:
        return None
    return tree.node(root_id).time_zone


async def tree_if_reachable(request: Request) -> UnitTree | None:
    """Auth's unit tree, or None while it was never reachable: public reads still answer."""
    try:
        return await current_unit_tree(request)
    except ProblemError as exc:
        if exc.kind is SERVICE_UNAVAILABLE:
            return None
        raise
