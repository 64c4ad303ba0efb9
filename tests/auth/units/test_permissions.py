"""auth_service.permissions: a role held at a unit covers its subtree, and nothing else."""

from __future__ import annotations

import uuid

import pytest
from auth_service.permissions import (
    MFA_ROLES,
    ROLES,
    UnitNode,
    UnitTree,
    covered_units,
    holds,
    is_official_of_root,
    require,
    require_admin_above,
    require_official_of_root,
)
from ppid_kit.problems import ProblemError
from ppid_kit.tokens import Claims, Grant

ROOT, OPD, UPT, KEC, KEL, OTHER_ROOT, OTHER_OPD = (uuid.uuid4() for _ in range(7))


def tree() -> UnitTree:
    """ROOT → OPD → UPT; ROOT → KEC → KEL; and a second root with one unit."""
    return UnitTree.build(
        [
            UnitNode(ROOT, None, ROOT, True),
            UnitNode(OPD, ROOT, ROOT, True),
            UnitNode(UPT, OPD, ROOT, True),
            UnitNode(KEC, ROOT, ROOT, True),
            UnitNode(KEL, KEC, ROOT, False),
            UnitNode(OTHER_ROOT, None, OTHER_ROOT, True),
            UnitNode(OTHER_OPD, OTHER_ROOT, OTHER_ROOT, True),
        ]
    )


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


def status_of(call: object) -> int:
    assert callable(call)
    try:
        call()
    except ProblemError as exc:
        return exc.kind.status
    return 200


def test_roles_and_mfa_roles() -> None:
    assert set(ROLES) >= {"admin", "ppid_utama", "atasan_ppid", "auditor", "pemohon"}
    assert {"admin", "ppid_utama", "atasan_ppid"} == MFA_ROLES


def test_tree_navigation() -> None:
    t = tree()
    assert t.ancestors(UPT) == [OPD, ROOT]
    assert t.path(KEL) == [KEL, KEC, ROOT]
    assert t.subtree(ROOT) == {ROOT, OPD, UPT, KEC, KEL}
    assert t.subtree(KEC) == {KEC, KEL}
    assert (t.root_of(UPT), t.root_of(OTHER_OPD)) == (ROOT, OTHER_ROOT)
    assert (t.contains(UPT), t.contains(uuid.uuid4())) == (True, False)
    assert (t.is_within(UPT, OPD), t.is_within(OPD, UPT)) == (True, False)
    assert sorted(map(str, t.roots())) == sorted(map(str, [ROOT, OTHER_ROOT]))
    with pytest.raises(KeyError):
        t.subtree(uuid.uuid4())


@pytest.mark.parametrize(
    ("held_at", "target", "expected"),
    [
        (ROOT, ROOT, True),
        (ROOT, KEL, True),  # whole subtree, inactive units too
        (OPD, UPT, True),
        (OPD, OPD, True),
        (OPD, ROOT, False),  # never upwards
        (OPD, KEC, False),  # never sideways
        (ROOT, OTHER_OPD, False),  # never into another root
    ],
)
def test_a_role_covers_its_subtree(held_at: uuid.UUID, target: uuid.UUID, expected: bool) -> None:
    assert holds(claims(("admin", held_at)), "admin", target, tree()) is expected
    assert holds(claims(("auditor", held_at)), "admin", target, tree()) is False


def test_grants_that_do_not_count() -> None:
    t = tree()
    assert not holds(claims(("admin", ROOT), typ="client"), "admin", OPD, t)
    assert not holds(claims(("admin", ROOT), typ="requester"), "admin", OPD, t)
    assert not holds(claims(("admin", "not-a-uuid")), "admin", OPD, t)
    assert not holds(claims(("admin", uuid.uuid4())), "admin", OPD, t)  # a unit since removed
    assert holds([Grant(role="admin", unit_id=str(OPD))], "admin", UPT, t)


def test_covered_units_and_officials_of_a_root() -> None:
    t = tree()
    caller = claims(("ppid_pelaksana", OPD), ("ppid_pelaksana", KEL))
    assert covered_units(caller, "ppid_pelaksana", t) == {OPD, UPT, KEL}
    assert is_official_of_root(caller, ROOT, t)
    assert not is_official_of_root(caller, OTHER_ROOT, t)
    assert not is_official_of_root(claims(("pemohon", ROOT)), ROOT, t)


def test_require_answers_403_404_or_passes() -> None:
    t, opd_admin = tree(), claims(("admin", OPD))
    assert status_of(lambda: require(opd_admin, "admin", UPT, t)) == 200
    assert status_of(lambda: require(opd_admin, "admin", KEC, t)) == 403
    assert status_of(lambda: require(opd_admin, "admin", uuid.uuid4(), t)) == 404
    # Hidden things of another root: the caller may not learn they exist.
    assert status_of(lambda: require(opd_admin, "admin", OTHER_OPD, t, hidden=True)) == 404
    assert status_of(lambda: require(opd_admin, "admin", KEC, t, hidden=True)) == 403


def test_require_admin_above_and_officials_of_root() -> None:
    t = tree()
    assert status_of(lambda: require_admin_above(claims(("admin", OPD)), UPT, t)) == 200
    assert status_of(lambda: require_admin_above(claims(("admin", OPD)), OPD, t)) == 403
    assert status_of(lambda: require_admin_above(claims(("admin", ROOT)), ROOT, t)) == 403
    auditor = claims(("auditor", KEL))
    assert status_of(lambda: require_official_of_root(auditor, ROOT, t)) == 200
    assert status_of(lambda: require_official_of_root(auditor, OTHER_ROOT, t)) == 403
    hidden = status_of(lambda: require_official_of_root(auditor, OTHER_ROOT, t, hidden=True))
    assert hidden == 404
