"""What tracking answers: one request (`core.views.RequestView`) or a page of summaries."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from ppid_kit.cursor import Page
from ppid_kit.models import PublicModel
from pydantic import BaseModel, ConfigDict, Field

from requests_service.core.models import (
    AccessMethod,
    Channel,
    CopyFormat,
    DeliveryMethod,
    InformationRequest,
    NoticeOutcome,
    RequesterCategory,
    RequestState,
)
from requests_service.core.views import Deadlines, deadlines_of


class TrackingQuery(BaseModel):
    """Both are needed (DOMAIN.md 17 rule 3: the number alone is never enough)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "registration_number": "KOTA-CONTOH/DINKES/PI/2026/00001",
                    "tracking_secret": "q0mZ2b9o3HkqvE0x1yq0n9lUuM4Yx1gkU6wqz8l7cJ4",
                }
            ]
        },
    )

    registration_number: str = Field(min_length=1, max_length=128)
    tracking_secret: str = Field(min_length=1, max_length=128)


class Overdue(StrEnum):
    NOTICE = "notice"  # no written notice by D10/D17 (UU Pasal 22(7), (8))
    DELIVERY = "delivery"  # not delivered by the promised date (SLIP 39(1)(g))


class RequestListItem(PublicModel):
    """A request in a list: the register's columns without history, files or identity."""

    id: uuid.UUID
    registration_number: str
    root_id: uuid.UUID
    target_unit_id: uuid.UUID
    unit_id: uuid.UUID
    channel: Channel
    requester_category: RequesterCategory
    information_requested: str
    access_method: AccessMethod
    copy_format: CopyFormat | None
    delivery_method: DeliveryMethod
    state: RequestState
    notice_outcome: NoticeOutcome | None
    deadlines: Deadlines
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, request: InformationRequest, now: dt.datetime) -> RequestListItem:
        fields = {name: getattr(request, name) for name in cls.model_fields if name != "deadlines"}
        return cls(**fields, deadlines=deadlines_of(request, now))


class RequestListPage(Page[RequestListItem]):
    """A page of requests, newest received first."""
