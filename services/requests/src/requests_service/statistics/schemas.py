"""The shape of the request statistics (DOMAIN.md 15.2, 17).

Every count is an integer, or `null` when suppressed in the public view: a count of 1
or 2 could point at a person (DOMAIN.md 17), so it is withheld and its name listed in
`suppressed`. Derived figures over fewer than 3 requests (the times, the fee sums) are
withheld the same way. A count of 0 is shown.
"""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, Field

SUPPRESSION_THRESHOLD = 3


class TimeTaken(BaseModel):
    """Working days from `receipt_date` to the written notice (UU Pasal 22(7), (8)) or to
    the delivery, over the requests that reached it."""

    count: int | None = Field(description="Requests counted.")
    mean: float | None = None
    median: float | None = None
    max: int | None = None
    within_10: int | None = Field(None, description="Notice within 10 working days.")
    from_11_to_17: int | None = Field(None, description="11 to 17 working days (extended).")
    over_17: int | None = Field(None, description="Later than 17 working days.")


class Figures(BaseModel):
    """The figures of one scope (the whole root/unit, or one handling unit)."""

    received: int | None
    by_channel: dict[str, int | None]
    by_requester_category: dict[str, int | None]
    by_access_method: dict[str, int | None]
    by_delivery_method: dict[str, int | None]
    outcomes: dict[str, int | None] = Field(description="Notices by outcome.")
    granted: int | None = Field(description="Granted in full or in part.")
    refused: int | None
    refusal_reasons: dict[str, int | None] = Field(
        description="Pasal 17 letters `a`…`j`, `other_law`, `not_held`, `not_documented`, "
        "`forwarded`."
    )
    time_taken: TimeTaken = Field(description="Receipt to written notice.")
    time_to_delivery: TimeTaken = Field(description="Receipt to delivery.")
    extended: int | None = Field(description="Extensions used (UU Pasal 22(8)).")
    withdrawn: int | None
    not_processed: int | None = Field(description="Rejected as incomplete.")
    fees_charged_requests: int | None
    fees_charged: int | None = Field(description="Rupiah on notices with a fee.")
    fees_collected: int | None = Field(description="Rupiah paid (waivers excluded).")
    suppressed: list[str] = Field(
        default_factory=list,
        description="The cells withheld here (`by_channel.phone`, `time_taken`…).",
    )


class UnitFigures(BaseModel):
    unit_id: uuid.UUID = Field(description="The handling unit.")
    figures: Figures


class Period(BaseModel):
    year: int
    semester: int | None = None
    month: int | None = None
    start: dt.date = Field(description="First receipt date counted.")
    end: dt.date = Field(description="Last receipt date counted.")


class RequestStatistics(BaseModel):
    """The request statistics of a root, or of a unit and its sub-units."""

    root_id: uuid.UUID
    unit_id: uuid.UUID | None
    period: Period
    suppression: bool = Field(
        description="True in the public view: counts of 1 or 2 and figures over fewer than "
        f"{SUPPRESSION_THRESHOLD} requests are `null` and listed in each `suppressed`."
    )
    threshold: int = SUPPRESSION_THRESHOLD
    total: Figures
    units: list[UnitFigures]


class ResponseTime(BaseModel):
    """Working days from an objection's `receipt_date` to the Atasan's `response_date` on
    the root calendar (UU Pasal 36(2): at most 30), over the objections answered."""

    count: int | None = Field(description="Objections answered.")
    mean: float | None = None
    median: float | None = None
    max: int | None = None


class ObjectionFigures(BaseModel):
    """Objections received in the period (by receipt date), DOMAIN.md 15.2 "Objections".

    `by_reason` counts an objection once under each of its reasons (UU Pasal 35(1) a-g).
    `outcomes`: `accepted` (upheld_requester), `refused` (upheld_ppid),
    `settled_by_consultation` (UU Pasal 35(2)), `withdrawn` (withdrawn before a decision),
    `pending` (no decision yet); they add up to `received`.
    """

    received: int | None
    by_reason: dict[str, int | None]
    outcomes: dict[str, int | None]
    response_time: ResponseTime
    overdue: int | None = Field(
        description="Answered after `response_due`, or unanswered and past it (UU Pasal 36(2))."
    )
    filed_late: int | None = Field(description="Filed after the 30 WD of UU Pasal 36(1).")
    order_executed: int | None = Field(description="Orders of the Atasan carried out.")
    escalated_to_ki: int | None = Field(description="Taken to the Komisi Informasi.")
    suppressed: list[str] = Field(default_factory=list)


class DisputeFigures(BaseModel):
    """Disputes at the Komisi Informasi filed in the period (by `filed_on`), DOMAIN.md 15.2
    "Disputes" and 10.8. `outcomes` add up to `received` (`pending`: no outcome yet)."""

    received: int | None
    by_ki_level: dict[str, int | None]
    by_stage: dict[str, int | None] = Field(description="Where each case stands now.")
    outcomes: dict[str, int | None]
    filed_late: int | None = Field(description="Filed after the 14 WD of UU Pasal 37(2).")
    court_cases: int | None = Field(description="Taken to the PTUN/PN or cassation (Pasal 47-50).")
    compliance_required: int | None = Field(description="Decisions with a compliance due date.")
    complied: int | None
    complied_late: int | None = Field(description="Complied with after the due date.")
    not_complied_overdue: int | None = Field(description="Not complied with, past the due date.")
    suppressed: list[str] = Field(default_factory=list)


class ObjectionScope(BaseModel):
    objections: ObjectionFigures
    disputes: DisputeFigures


class UnitObjectionFigures(ObjectionScope):
    unit_id: uuid.UUID = Field(description="The unit whose PPID decided.")


class ObjectionStatistics(BaseModel):
    """Objection and dispute statistics of a root, or of a unit and its sub-units."""

    root_id: uuid.UUID
    unit_id: uuid.UUID | None
    period: Period
    as_of: dt.date = Field(description="The local date `overdue` and `pending` are judged on.")
    suppression: bool = Field(
        description="True in the public view: counts of 1 or 2 and figures over fewer than "
        f"{SUPPRESSION_THRESHOLD} cases are `null` and listed in each `suppressed`."
    )
    threshold: int = SUPPRESSION_THRESHOLD
    total: ObjectionScope
    units: list[UnitObjectionFigures]
