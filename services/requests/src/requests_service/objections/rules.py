"""The rules of filing against the request (UU Pasal 35(1), 36(1)) and the state machine
of DOMAIN.md 10.7. Every check runs before anything is written; messages name the
field or the ground, never a submitted value (DOMAIN.md 17).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text, register_kind

from requests_service.core.models import (
    InformationRequest,
    NoticeOutcome,
    RequestState,
)
from requests_service.core.views import (
    effective_notice_due,
    is_delivery_overdue,
    is_notice_overdue,
)
from requests_service.intake.rules import (
    OFFICIAL_CHANNELS,
    officials_only,
    received_at_errors,
)
from requests_service.objections.access import Filer
from requests_service.objections.models import (
    OBJECTION_TERMINAL_STATES,
    ObjectionReason,
    ObjectionState,
)
from requests_service.objections.schemas import ObjectionFiling

R = ObjectionReason
S = ObjectionState

INVALID_TRANSITION = register_kind(
    "objection-invalid-transition",
    409,
    "Tindakan tidak dapat dilakukan",
    "Action not possible",
    detail_id="Tindakan ini tidak dapat dilakukan pada keadaan keberatan saat ini.",
    detail_en="This action is not possible in the objection's current state.",
)
REQUEST_WITHDRAWN = register_kind(
    "objection-request-withdrawn",
    409,
    "Permohonan telah dicabut",
    "Request withdrawn",
    detail_id="Permohonan yang telah dicabut tidak dapat diajukan keberatan.",
    detail_en="A withdrawn request cannot be objected to.",
)
REQUIRED = Text("Wajib diisi.", "This field is required.")
FILING_WINDOW_PASSED = "filing-window-passed"

# Why a ground is not open on this request (UU Pasal 35(1)).
_NOT_AVAILABLE: dict[ObjectionReason, Text] = {
    R.A: Text(
        "Alasan a hanya untuk permohonan yang ditolak (Pasal 17).",
        "Reason a only applies to a refused request (Pasal 17).",
    ),
    R.C: Text(
        "Alasan c hanya bila pemberitahuan tertulis tidak diberikan dalam jangka waktunya.",
        "Reason c only applies when the written notice was not given in time.",
    ),
    R.D: Text(
        "Alasan d memerlukan pemberitahuan tertulis yang sudah diberikan.",
        "Reason d needs the written notice to have been given.",
    ),
    R.E: Text(
        "Alasan e memerlukan pemberitahuan tertulis yang sudah diberikan.",
        "Reason e needs the written notice to have been given.",
    ),
    R.F: Text(
        "Alasan f memerlukan pemberitahuan tertulis yang sudah diberikan.",
        "Reason f needs the written notice to have been given.",
    ),
    R.G: Text(
        "Alasan g hanya bila informasi disampaikan melewati tanggal yang dijanjikan.",
        "Reason g only applies when delivery is or was later than promised.",
    ),
}


def invalid(detail: Text | None = None) -> ProblemError:
    return ProblemError(INVALID_TRANSITION, detail)


def fields_invalid(errors: list[FieldError]) -> ProblemError:
    return ProblemError(VALIDATION, errors[0].message, errors=errors)


def _local_day(moment: dt.datetime, time_zone: str) -> dt.date:
    return moment.astimezone(ZoneInfo(time_zone)).date()


def reason_available(
    reason: ObjectionReason, request: InformationRequest, now: dt.datetime
) -> bool:
    """UU Pasal 35(1): whether the request's facts open this ground."""
    if reason is R.B:
        return True
    if reason is R.A:
        return (
            request.notice_sent_at is not None and request.notice_outcome is NoticeOutcome.REFUSED
        )
    if reason is R.C:
        return is_notice_overdue(request, now)
    if reason is R.G:
        return is_delivery_overdue(request, now)
    return request.notice_sent_at is not None  # d, e, f: a written answer exists


def discovered_on(reason: ObjectionReason, request: InformationRequest) -> dt.date | None:
    """When the ground was found (DOMAIN.md 10.5): the notice date (a, d, e, f), the day
    after the notice deadline (c), the delivery date or the day after the delivery
    deadline (g). None for (b): only the objector knows."""
    zone = request.time_zone
    one_day = dt.timedelta(days=1)
    if reason in {R.A, R.D, R.E, R.F} and request.notice_sent_at is not None:
        return _local_day(request.notice_sent_at, zone)
    if reason is R.C:
        return effective_notice_due(request) + one_day
    if reason is R.G:
        if request.delivered_at is not None:
            return _local_day(request.delivered_at, zone)
        if request.promised_delivery_date is not None:
            return request.promised_delivery_date + one_day
    return None


def unique_reasons(reasons: Iterable[ObjectionReason]) -> list[str]:
    """Sorted codes; 422 when one is given twice."""
    given = list(reasons)
    if len(set(given)) != len(given):
        text = Text("Setiap alasan hanya sekali.", "Each reason at most once.")
        raise fields_invalid([FieldError("reasons", text)])
    return sorted(str(reason) for reason in given)


def check_filing_shape(body: ObjectionFiling, filer: Filer, now: dt.datetime) -> list[str]:
    """The rules between the form's fields: 422 with every error at once."""
    reasons = unique_reasons(body.reasons)
    errors: list[FieldError] = []
    if body.request_id is None:
        if reasons != [R.B.value]:
            text = Text(
                "Tanpa permohonan hanya alasan b (informasi berkala) yang dapat diajukan.",
                "Without a request only reason b (periodic information) may be given.",
            )
            errors.append(FieldError("request_id", text))
        if body.unit_id is None:
            errors.append(FieldError("unit_id", REQUIRED))
        if body.reason_discovered_on is None:
            errors.append(FieldError("reason_discovered_on", REQUIRED))
        if body.objector is None:
            errors.append(FieldError("objector", REQUIRED))
    if R.B.value in reasons and body.reason_discovered_on is None and body.request_id:
        errors.append(FieldError("reason_discovered_on", REQUIRED))
    # The local day may run ahead of UTC by up to 9 hours (WIT): one day of slack.
    if (
        body.reason_discovered_on is not None
        and body.reason_discovered_on > (now + dt.timedelta(days=1)).date()
    ):
        text = Text("Tanggal tidak boleh di masa depan.", "Must not be in the future.")
        errors.append(FieldError("reason_discovered_on", text))
    errors += channel_errors(body, filer, now)
    objector = body.objector
    if objector is not None and not (objector.address or objector.phone or objector.email):
        text = Text("Isi alamat, nomor telepon atau email.", "Give an address, phone or email.")
        errors.append(FieldError("objector.address", text))
    if errors:
        raise fields_invalid(errors)
    return reasons


def channel_errors(body: ObjectionFiling, filer: Filer, now: dt.datetime) -> list[FieldError]:
    """Officials record how and when a paper form came; everyone else files online now."""
    if not filer.is_official:
        return officials_only(body, ("channel", "received_at"))
    errors: list[FieldError] = []
    if body.channel is not None and body.channel not in OFFICIAL_CHANNELS:
        text = Text("Petugas tidak mencatat keberatan daring.", "Officials do not enter online.")
        errors.append(FieldError("channel", text))
    return [*errors, *received_at_errors(body.received_at, now)]


def check_against_request(
    reasons: list[str], request: InformationRequest, now: dt.datetime
) -> None:
    """409 for a withdrawn request; 422 naming each ground the request does not open."""
    if request.state is RequestState.WITHDRAWN:
        raise ProblemError(REQUEST_WITHDRAWN)
    errors = [
        FieldError(f"reasons.{code}", _NOT_AVAILABLE[R(code)])
        for code in reasons
        if not reason_available(R(code), request, now)
    ]
    if errors:
        raise fields_invalid(errors)


def discovery_date(
    given: dt.date | None, reasons: list[str], request: InformationRequest | None
) -> dt.date:
    """The given date, else the earliest the grounds imply (the strictest window: the
    check only warns, and the Atasan judges a late filing)."""
    if given is not None:
        return given
    assert request is not None  # check_filing_shape requires a date otherwise
    found = [day for code in reasons if (day := discovered_on(R(code), request)) is not None]
    return min(found) if found else _local_day(request.received_at, request.time_zone)


@dataclass(frozen=True)
class Step:
    sources: frozenset[ObjectionState]
    target: ObjectionState | None  # None: decided by the body (decide, reaction)


DECIDED = frozenset({S.DECIDED_UPHELD_REQUESTER, S.DECIDED_UPHELD_PPID})
NON_TERMINAL = frozenset(ObjectionState) - OBJECTION_TERMINAL_STATES
STEPS: dict[str, Step] = {
    "forward": Step(frozenset({S.FILED}), S.WITH_ATASAN),
    "consultation": Step(frozenset({S.WITH_ATASAN}), S.MUSYAWARAH),
    "decide": Step(frozenset({S.WITH_ATASAN, S.MUSYAWARAH}), None),
    "execute-order": Step(frozenset({S.DECIDED_UPHELD_REQUESTER}), S.ORDER_EXECUTED),
    "reaction": Step(DECIDED | {S.ORDER_EXECUTED}, None),
    "withdraw": Step(NON_TERMINAL, S.WITHDRAWN),
}


def check_state(action: str, state: ObjectionState) -> None:
    """409 `objection-invalid-transition` when `action` cannot leave `state`."""
    if state not in STEPS[action].sources:
        raise invalid(
            Text(
                f"Tindakan '{action}' tidak dapat dilakukan pada keadaan '{state}'.",
                f"'{action}' is not possible in state '{state}'.",
            )
        )
