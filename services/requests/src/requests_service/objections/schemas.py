"""What the objection routes take and answer (DOMAIN.md 10.3 form, 10.6 response).

Only the shape is checked here; rules between fields and against the request are in
`rules.py`, with messages that never repeat a submitted value (DOMAIN.md 17).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from ppid_kit.models import PublicModel
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from requests_service.core.models import Channel
from requests_service.intake.schemas import Address, Line, Mail, Name, Purpose, Short, Subject
from requests_service.objections.models import (
    ObjectionDecision,
    ObjectionReason,
    RequesterReaction,
)
from requests_service.objections.views import ObjectionView

Text5000 = Annotated[str, Field(min_length=1, max_length=5000)]


class ObjectorIn(BaseModel):
    """The objector (DOMAIN.md 10.3): name, address, occupation, phone/email."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    address: Address | None = None
    occupation: Line = None
    phone: Short = None
    email: Mail = None


class AgentIn(BaseModel):
    """An agent with a special power of attorney (SLIP Pasal 40; DOMAIN.md 10.2)."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    address: Address | None = None
    occupation: Line = None
    phone: Short = None


class ObjectionFiling(BaseModel):
    """The objection form (DOMAIN.md 10.3)."""

    model_config = ConfigDict(extra="forbid")

    request_id: uuid.UUID | None = Field(
        default=None, description="The request objected to; null only for reason `b` alone."
    )
    unit_id: uuid.UUID | None = Field(
        default=None, description="Without a request: the unit whose duty (Pasal 9) is unmet."
    )
    reasons: list[ObjectionReason] = Field(
        min_length=1, max_length=7, description="UU Pasal 35(1) a-g, each at most once."
    )
    purpose: Purpose
    case_position: Subject = Field(description="Kasus posisi: what happened.")
    reason_discovered_on: dt.date | None = Field(
        default=None,
        description=(
            "When the reason was found (UU Pasal 36(1)); derived from the request when "
            "omitted, required for reason `b`."
        ),
    )
    objector: ObjectorIn | None = Field(
        default=None, description="Defaults to the request's requester when they file."
    )
    agent: AgentIn | None = None
    channel: Channel | None = Field(default=None, description="Officials at the counter only.")
    received_at: AwareDatetime | None = Field(
        default=None, description="Officials only: when the paper form came (≤ 30 days back)."
    )


class FilingWarning(PublicModel):
    """Something the filer should know; the objection is recorded all the same."""

    code: str
    message: str


class FiledObjection(ObjectionView):
    receipt_url: str
    tracking_secret: str = Field(description="Shown once: track the objection with it.")
    warnings: list[FilingWarning]


class NoteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=2000)] | None = None


class ExecuteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(min_length=1, max_length=5000)] = Field(
        description="What was done to carry out the order (e.g. the information delivered)."
    )


class DecideBody(BaseModel):
    """The Atasan's written response (DOMAIN.md 10.6; UU Pasal 36(2)-(3))."""

    model_config = ConfigDict(extra="forbid")

    decision: ObjectionDecision
    objection_summary: Text5000
    decision_reasons: Text5000 | None = Field(
        default=None, description="Required when the PPID is upheld (UU Pasal 36(3))."
    )
    order_text: Text5000 | None = Field(
        default=None, description="Upheld requester: what the PPID must do."
    )
    order_due: dt.date | None = None
    order_working_days: Annotated[int, Field(ge=1, le=100)] | None = None
    atasan_name: Name
    atasan_position: Name


class ReactionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reaction: RequesterReaction
    note: Annotated[str, Field(max_length=2000)] | None = None


class ObjectionPage(PublicModel):
    items: list[ObjectionView]
    next_cursor: str | None


class ObjectorView(PublicModel):
    """The objector's identity for officials (full for handlers, masked otherwise)."""

    objection_id: uuid.UUID
    scope: str
    name: str
    address: str | None
    occupation: str | None
    phone: str | None
    email: str | None
    agent_name: str | None
    agent_address: str | None
    agent_occupation: str | None
    agent_phone: str | None
