"""The request state machine (DOMAIN.md 9.1/9.2): which action moves which state, who acts.

Every action locks the request, checks the caller's role over the *handling* unit,
then the state; a refusal changes nothing (409 `request-invalid-transition`, with the
state, the action and the reason in Indonesian and English).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ppid_kit.problems import ProblemError, Text, register_kind

from requests_service.core.access import DECIDER_ROLES, HANDLER_ROLES
from requests_service.core.models import TERMINAL_STATES, RequestState

INVALID_TRANSITION = register_kind(
    "request-invalid-transition",
    409,
    "Tindakan tidak dapat dilakukan",
    "Action not possible",
    detail_id="Tindakan ini tidak dapat dilakukan pada keadaan permohonan saat ini.",
    detail_en="This action is not possible in the request's current state.",
)

# UU Pasal 36(1): an objection within 30 working days (the decree states it).
OBJECTION_WORKING_DAYS = 30

NOT_DECIDER = Text(
    "Hanya PPID Utama atau PPID Pelaksana unit ini yang dapat melakukan tindakan ini.",
    "Only the PPID Utama or this unit's PPID Pelaksana may do this.",
)


class Action(StrEnum):
    """`POST /v1/requests/{id}/{action}`; also the `action` of the history event."""

    VERIFY = "verify"
    MARK_INCOMPLETE = "mark-incomplete"
    REJECT_INCOMPLETE = "reject-incomplete"
    ASSIGN = "assign"
    DISPOSE = "dispose"
    EXTEND = "extend"
    ISSUE_NOTICE = "issue-notice"
    RECORD_PAYMENT = "record-payment"
    DELIVER = "deliver"
    CLOSE = "close"
    WITHDRAW = "withdraw"


# Events the system records after an official's notice (DOMAIN.md 9.2).
AWAIT_PAYMENT = "await-payment"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[RequestState]
    target: RequestState
    roles: Sequence[str]


def _states(*states: RequestState) -> frozenset[RequestState]:
    return frozenset(states)


S = RequestState
NON_TERMINAL = frozenset(RequestState) - TERMINAL_STATES
TRANSITIONS: dict[Action, Transition] = {
    Action.VERIFY: Transition(_states(S.RECEIVED, S.INCOMPLETE), S.VERIFIED, HANDLER_ROLES),
    Action.MARK_INCOMPLETE: Transition(_states(S.RECEIVED), S.INCOMPLETE, HANDLER_ROLES),
    Action.REJECT_INCOMPLETE: Transition(
        _states(S.INCOMPLETE), S.REJECTED_INCOMPLETE, DECIDER_ROLES
    ),
    Action.ASSIGN: Transition(
        _states(S.VERIFIED, S.FORWARDED_INTERNAL), S.IN_PROCESS, DECIDER_ROLES
    ),
    Action.DISPOSE: Transition(
        _states(S.VERIFIED, S.IN_PROCESS), S.FORWARDED_INTERNAL, DECIDER_ROLES
    ),
    Action.EXTEND: Transition(_states(S.VERIFIED, S.IN_PROCESS), S.EXTENDED, DECIDER_ROLES),
    Action.ISSUE_NOTICE: Transition(
        _states(S.VERIFIED, S.IN_PROCESS, S.EXTENDED), S.NOTICE_SENT, DECIDER_ROLES
    ),
    # Payment is recorded on the request (`paid_at`); delivery then follows.
    Action.RECORD_PAYMENT: Transition(
        _states(S.AWAITING_PAYMENT), S.AWAITING_PAYMENT, HANDLER_ROLES
    ),
    Action.DELIVER: Transition(
        _states(S.NOTICE_SENT, S.AWAITING_PAYMENT), S.DELIVERED, HANDLER_ROLES
    ),
    Action.CLOSE: Transition(_states(S.DELIVERED), S.CLOSED, HANDLER_ROLES),
    Action.WITHDRAW: Transition(NON_TERMINAL, S.WITHDRAWN, HANDLER_ROLES),
}

# The history names these steps as DOMAIN.md 9.2 does (`incomplete ──complete──▶ verified`,
# `forwarded_internal ──accept──▶ in_process`); the route is the same action.
_EVENT_NAMES: dict[tuple[Action, RequestState], str] = {
    (Action.VERIFY, S.INCOMPLETE): "complete",
    (Action.ASSIGN, S.FORWARDED_INTERNAL): "accept",
}


def event_name(action: Action, from_state: RequestState) -> str:
    """The `action` of the history event `action` records when taken from `from_state`."""
    return _EVENT_NAMES.get((action, from_state), action.value)


STATE_TEXT: dict[RequestState, Text] = {
    S.RECEIVED: Text("diterima", "received"),
    S.INCOMPLETE: Text("perlu kelengkapan", "incomplete"),
    S.VERIFIED: Text("terverifikasi", "verified"),
    S.IN_PROCESS: Text("diproses", "in process"),
    S.FORWARDED_INTERNAL: Text("didisposisikan", "forwarded internally"),
    S.EXTENDED: Text("diperpanjang", "extended"),
    S.NOTICE_SENT: Text("pemberitahuan tertulis terkirim", "notice sent"),
    S.AWAITING_PAYMENT: Text("menunggu pembayaran", "awaiting payment"),
    S.DELIVERED: Text("informasi diserahkan", "delivered"),
    S.CLOSED: Text("selesai", "closed"),
    S.WITHDRAWN: Text("dicabut", "withdrawn"),
    S.REJECTED_INCOMPLETE: Text("tidak diproses (tidak lengkap)", "rejected as incomplete"),
}

# The reasons of a 409 beyond "not from this state".
ALREADY_EXTENDED = Text(
    "Jangka waktu pemberitahuan hanya dapat diperpanjang satu kali (UU 14/2008 Pasal 22 ayat 8).",
    "The notice period may be extended only once (UU 14/2008 Article 22(8)).",
)
D10_ENDED = Text(
    "Perpanjangan harus dilakukan sebelum batas 10 hari kerja berakhir "
    "(UU 14/2008 Pasal 22 ayat 7 dan 8).",
    "An extension must be made before the 10-working-day deadline has ended "
    "(UU 14/2008 Article 22(7) and (8)).",
)
NOT_PAID = Text(
    "Biaya yang tercantum dalam pemberitahuan tertulis belum dibayar.",
    "The fees stated in the written notice have not been paid.",
)
ALREADY_PAID = Text("Pembayaran sudah dicatat.", "The payment has already been recorded.")
NOT_GRANTED = Text(
    "Pemberitahuan tertulis tidak memberikan informasi untuk diserahkan.",
    "The written notice grants no information to deliver.",
)


def invalid(action: Action | str, state: RequestState, reason: Text | None = None) -> ProblemError:
    """409 `request-invalid-transition` for `action` in `state` (with a specific reason)."""
    name = str(action)
    label = STATE_TEXT[state]
    detail = reason or Text(
        f"Tindakan '{name}' tidak dapat dilakukan pada permohonan berstatus {label.id}.",
        f"Action '{name}' is not possible on a request that is {label.en}.",
    )
    return ProblemError(INVALID_TRANSITION, detail, extra={"state": state.value, "action": name})


def check(action: Action, state: RequestState) -> Transition:
    """The transition of `action` from `state`: else 409."""
    transition = TRANSITIONS[action]
    if state not in transition.sources:
        raise invalid(action, state)
    return transition
