"""The permission matrix's world (the demo tree plus a second root) and its admin actions.

Each action says where it applies, who may do it (admin over the right unit), whether a
refusal must hide the target (404 for callers who are not officials of its root) and
how to undo a success, so every case starts from the same state.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from itertools import count

import httpx
from auth_service.accounts import repository as accounts
from auth_service.accounts.models import User, UserKind
from auth_service.demo import data as demo
from auth_service.grants import repository as grants
from auth_service.grants.models import OfficialRole
from auth_service.permissions import UnitTree, load_tree
from auth_service.units import service
from auth_service.units.models import RootTimeZone, UnitCreate, UnitKind
from sqlalchemy.ext.asyncio import AsyncSession

from tests.auth.units.support import Json

ANY = {"If-Match": "*"}
_serial = count()


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_serial)}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Caller:
    role: str
    unit: uuid.UUID | None  # None: a requester (pemohon), who holds no grant
    headers: dict[str, str]


@dataclass
class World:
    tree: UnitTree
    targets: list[uuid.UUID]
    destination: dict[uuid.UUID, uuid.UUID]  # where `move` takes each unit
    grantee: uuid.UUID  # an official holding `tim_pertimbangan` at every target
    grant_at: dict[uuid.UUID, uuid.UUID]  # target -> that live grant
    holder_at: dict[uuid.UUID, uuid.UUID]  # target -> an official whose one grant is there
    operator: dict[str, str] = field(default_factory=dict)  # admin of both roots, for undos

    def admin_over(self, caller: Caller, unit: uuid.UUID | None) -> bool:
        if caller.role != "admin" or caller.unit is None or unit is None:
            return False
        return self.tree.is_within(unit, caller.unit)

    def official_of_root(self, caller: Caller, unit: uuid.UUID) -> bool:
        if caller.unit is None:
            return False
        return self.tree.root_of(caller.unit) == self.tree.root_of(unit)


async def _official(session: AsyncSession, grants_at: list[tuple[str, uuid.UUID]]) -> User:
    email = f"{unique('matrix')}@kota-contoh.example"
    user = User(kind=UserKind.OFFICIAL, email=email, name="Pejabat Uji")
    await accounts.add_user(session, user)
    for role, unit in grants_at:
        await grants.add_grant(
            session, user_id=user.id, role=OfficialRole(role), unit_id=unit, granted_by=None
        )
    return user


async def _other_root(session: AsyncSession) -> list[uuid.UUID]:
    """A second badan publik with two units: outside every demo official's reach."""
    root = await service.create_root(
        session, code="kab-lain", name="Pemerintah Kabupaten Lain", time_zone=RootTimeZone.WITA
    )
    made = [root.id]
    for slug in ("dinkes", "disdik"):
        body = UnitCreate(code=f"kab-lain.{slug}", name=slug, kind=UnitKind.OPD, parent_id=root.id)
        made.append((await service.add_child(session, body, service.OPERATOR)).id)
    return made


def _destinations(tree: UnitTree, targets: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """A new parent in the same root, outside the unit's subtree and not its parent."""
    found: dict[uuid.UUID, uuid.UUID] = {}
    for unit in targets:
        below = tree.subtree(unit) | {tree.parent_of(unit)}
        candidates = [u for u in targets if tree.root_of(u) == tree.root_of(unit)]
        ordered = sorted(candidates, key=lambda u: (u != demo.DISDIK.id, u != demo.DINKES.id))
        found[unit] = next((u for u in ordered if u not in below), tree.root_of(unit))
    return found


async def build_world(session: AsyncSession) -> World:
    """After the demo seed: the second root, the grantee and one holder per target."""
    targets = [demo.ROOT_ID, *(unit.id for unit in demo.UNITS), *await _other_root(session)]
    grantee = await _official(session, [("tim_pertimbangan", unit) for unit in targets])
    live = {g.unit_id: g.id for g in await grants.active_grant_rows(session, grantee.id)}
    holders = {unit: (await _official(session, [("auditor", unit)])).id for unit in targets}
    tree = await load_tree(session)
    return World(tree, targets, _destinations(tree, targets), grantee.id, live, holders)


Attempt = Callable[[httpx.AsyncClient, World, Caller, uuid.UUID], Awaitable[httpx.Response]]
Undo = Callable[[httpx.AsyncClient, World, Caller, uuid.UUID, httpx.Response], Awaitable[None]]


async def _ok(response: httpx.Response) -> None:
    assert response.is_success, f"undo failed: {response.status_code} {response.text}"


async def _patch(
    client: httpx.AsyncClient, headers: dict[str, str], unit: object, body: Json
) -> httpx.Response:
    return await client.patch(f"/v1/units/{unit}", json=body, headers={**headers, **ANY})


async def create_child(c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID) -> httpx.Response:
    body = {"code": unique("matrix"), "name": "UPT Uji", "kind": "upt", "parent_id": str(t)}
    return await c.post("/v1/units", json=body, headers=who.headers)


async def undo_child(
    c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID, r: httpx.Response
) -> None:
    await _ok(await _patch(c, who.headers, r.json()["id"], {"is_active": False}))


async def update_unit(c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID) -> httpx.Response:
    return await _patch(c, who.headers, t, {"description": unique("matrix")})


async def move_unit(c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID) -> httpx.Response:
    return await _patch(c, who.headers, t, {"parent_id": str(w.destination[t])})


async def undo_move(
    c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID, r: httpx.Response
) -> None:
    await _ok(await _patch(c, w.operator, t, {"parent_id": str(w.tree.parent_of(t))}))


async def deactivate(c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID) -> httpx.Response:
    return await _patch(c, who.headers, t, {"is_active": False})


async def undo_deactivate(
    c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID, r: httpx.Response
) -> None:
    await _ok(await _patch(c, w.operator, t, {"is_active": True}))


def _grants_path(w: World) -> str:
    return f"/v1/auth/officials/{w.grantee}/grants"


async def grant_role(c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID) -> httpx.Response:
    body = {"role": "auditor", "unit_id": str(t)}
    return await c.post(_grants_path(w), json=body, headers=who.headers)


async def undo_grant(
    c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID, r: httpx.Response
) -> None:
    await _ok(await c.delete(f"{_grants_path(w)}/{r.json()['id']}", headers=w.operator))


async def revoke_grant(c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID) -> httpx.Response:
    return await c.delete(f"{_grants_path(w)}/{w.grant_at[t]}", headers=who.headers)


async def undo_revoke(
    c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID, r: httpx.Response
) -> None:
    body = {"role": "tim_pertimbangan", "unit_id": str(t)}
    again = await c.post(_grants_path(w), json=body, headers=w.operator)
    await _ok(again)
    w.grant_at[t] = uuid.UUID(again.json()["id"])


async def create_official(
    c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID
) -> httpx.Response:
    body = {
        "email": f"{unique('pejabat')}@kota-contoh.example",
        "name": "Pejabat Baru",
        "password": "sawah-hijau-di-lereng-9",
        "grants": [{"role": "auditor", "unit_id": str(t)}],
    }
    return await c.post("/v1/auth/officials", json=body, headers=who.headers)


async def revoke_sessions(
    c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID
) -> httpx.Response:
    path = f"/v1/auth/officials/{w.holder_at[t]}/sessions/revoke"
    return await c.post(path, headers=who.headers)


async def register_client(
    c: httpx.AsyncClient, w: World, who: Caller, t: uuid.UUID
) -> httpx.Response:
    body = {"name": unique("Aplikasi"), "root_id": str(t), "scopes": ["dip:read"]}
    return await c.post("/v1/auth/clients", json=body, headers=who.headers)


@dataclass(frozen=True)
class Action:
    name: str
    attempt: Attempt
    allowed: Callable[[World, Caller, uuid.UUID], bool]
    undo: Undo | None = None
    hidden: bool = False  # refusals are 404 for callers outside the target's root
    roots_only: bool = False
    conflict: Callable[[World, uuid.UUID], bool] = lambda w, t: False  # allowed, state says 409


def _over_target(w: World, who: Caller, t: uuid.UUID) -> bool:
    return w.admin_over(who, t)


def _over_parent(w: World, who: Caller, t: uuid.UUID) -> bool:
    return w.admin_over(who, w.tree.parent_of(t))


def _may_move(w: World, who: Caller, t: uuid.UUID) -> bool:
    return _over_parent(w, who, t) and w.admin_over(who, w.destination[t])


def _has_active_children(w: World, t: uuid.UUID) -> bool:
    return any(w.tree.is_active(u) for u in w.tree.children.get(t, ()))


ACTIONS = (
    Action("create child unit", create_child, _over_target, undo_child),
    Action("update unit", update_unit, _over_target),
    Action("move unit", move_unit, _may_move, undo_move),
    Action(
        "deactivate unit", deactivate, _over_parent, undo_deactivate, conflict=_has_active_children
    ),
    Action("grant a role at the unit", grant_role, _over_target, undo_grant),
    Action("revoke a grant at the unit", revoke_grant, _over_target, undo_revoke, hidden=True),
    Action("create an official at the unit", create_official, _over_target),
    Action(
        "revoke sessions of an official at the unit", revoke_sessions, _over_target, hidden=True
    ),
    Action(
        "register an API client for the root",
        register_client,
        _over_target,
        hidden=True,
        roots_only=True,
    ),
)


def expected_status(action: Action, w: World, who: Caller, t: uuid.UUID) -> int | None:
    """None: must succeed (2xx); else the refusal's status."""
    if action.allowed(w, who, t):
        return 409 if action.conflict(w, t) else None
    if action.hidden and not w.official_of_root(who, t):
        return 404
    return 403
