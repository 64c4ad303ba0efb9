"""The DIP lifecycle (DOMAIN.md 5.2) with the root's publication policy.

draft → proposed → verified → published → withdrawn / archived / superseded; `return`
sends a proposal back to draft. With the `direct` policy the unit's PPID Pelaksana
publishes from draft or proposed; with `verify` only a verified entry, and only the PPID
Utama verifies. The PPID Utama may always publish.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ppid_kit.problems import ProblemError, Text, register_kind

from registry_service.access import PPID_UTAMA
from registry_service.models import DipStatus, PublishMode, VersionAction

INVALID_TRANSITION = register_kind(
    "invalid-transition",
    409,
    "Perubahan status tidak diizinkan",
    "Status change not allowed",
    detail_id="Perubahan ini tidak dapat dilakukan pada status saat ini.",
    detail_en="This change is not possible in the current status.",
)
NUMBER_TAKEN = register_kind(
    "dip-number-taken",
    409,
    "Nomor DIP sudah dipakai",
    "DIP number already in use",
    detail_id="Badan publik ini sudah memiliki entri DIP dengan nomor tersebut.",
    detail_en="This public body already has a DIP entry with that number.",
)


class Action(StrEnum):
    """The action endpoints, `POST /v1/dip/entries/{id}/{action}`."""

    PROPOSE = "propose"
    RETURN = "return"
    VERIFY = "verify"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    ARCHIVE = "archive"
    SUPERSEDE = "supersede"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[DipStatus]
    target: DipStatus
    version_action: VersionAction
    needs_reason: bool = False
    utama_only: bool = False


_EDITABLE = frozenset({DipStatus.DRAFT, DipStatus.PROPOSED, DipStatus.VERIFIED})
TRANSITIONS: dict[Action, Transition] = {
    Action.PROPOSE: Transition(
        frozenset({DipStatus.DRAFT}), DipStatus.PROPOSED, VersionAction.PROPOSE
    ),
    Action.RETURN: Transition(
        frozenset({DipStatus.PROPOSED, DipStatus.VERIFIED}),
        DipStatus.DRAFT,
        VersionAction.RETURN,
        needs_reason=True,
        utama_only=True,
    ),
    Action.VERIFY: Transition(
        frozenset({DipStatus.PROPOSED}), DipStatus.VERIFIED, VersionAction.VERIFY, utama_only=True
    ),
    Action.PUBLISH: Transition(_EDITABLE, DipStatus.PUBLISHED, VersionAction.PUBLISH),
    Action.WITHDRAW: Transition(
        frozenset({DipStatus.PUBLISHED}),
        DipStatus.WITHDRAWN,
        VersionAction.WITHDRAW,
        needs_reason=True,
    ),
    Action.ARCHIVE: Transition(
        frozenset({DipStatus.PUBLISHED, DipStatus.WITHDRAWN}),
        DipStatus.ARCHIVED,
        VersionAction.ARCHIVE,
        needs_reason=True,
    ),
    Action.SUPERSEDE: Transition(
        frozenset({DipStatus.PUBLISHED}),
        DipStatus.SUPERSEDED,
        VersionAction.SUPERSEDE,
        needs_reason=True,
    ),
}
# Statuses whose content may still be edited (a published entry stays published).
EDITABLE = _EDITABLE | {DipStatus.PUBLISHED}

_STATUS_TEXT: dict[DipStatus, Text] = {
    DipStatus.DRAFT: Text("draf", "draft"),
    DipStatus.PROPOSED: Text("diusulkan", "proposed"),
    DipStatus.VERIFIED: Text("terverifikasi", "verified"),
    DipStatus.PUBLISHED: Text("terbit", "published"),
    DipStatus.SUPERSEDED: Text("digantikan", "superseded"),
    DipStatus.ARCHIVED: Text("diarsipkan", "archived"),
    DipStatus.WITHDRAWN: Text("ditarik", "withdrawn"),
}
NEEDS_VERIFICATION = Text(
    "Kebijakan badan publik ini mewajibkan verifikasi PPID Utama sebelum entri diterbitkan.",
    "This public body's policy requires verification by the PPID Utama before publication.",
)
NOT_EDITABLE = Text(
    "Entri yang ditarik, diarsipkan atau digantikan tidak dapat diubah.",
    "A withdrawn, archived or superseded entry cannot be edited.",
)


def invalid(action: Action, status: DipStatus) -> ProblemError:
    """409 `invalid-transition`: `action` is not possible from `status`."""
    state = _STATUS_TEXT[status]
    detail = Text(
        f"Aksi '{action.value}' tidak dapat dilakukan pada entri berstatus {state.id}.",
        f"Action '{action.value}' is not possible on an entry that is {state.en}.",
    )
    return ProblemError(
        INVALID_TRANSITION, detail, extra={"entry_status": status.value, "action": action.value}
    )


def check(action: Action, status: DipStatus, role: str, mode: PublishMode) -> Transition:
    """The transition of `action` from `status` for an editor with `role`; else 409."""
    transition = TRANSITIONS[action]
    if status not in transition.sources:
        raise invalid(action, status)
    needs_verification = (
        action is Action.PUBLISH
        and role != PPID_UTAMA
        and mode is PublishMode.VERIFY
        and status is not DipStatus.VERIFIED
    )
    if needs_verification:
        raise ProblemError(
            INVALID_TRANSITION,
            NEEDS_VERIFICATION,
            extra={"entry_status": status.value, "action": action.value},
        )
    return transition
