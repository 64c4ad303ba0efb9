"""Every table the requests service's migrations manage (for `migrations/env.py`)."""

from __future__ import annotations

import sqlalchemy as sa
from ppid_kit.outbox.models import OutboxMessage

from requests_service.calendar.models import CalendarDay, CalendarDayRemoval, CalendarPolicy
from requests_service.core.models import (
    InformationRequest,
    NumberCounter,
    RequesterIdentity,
    RequestEvent,
    RequestFile,
    RequestPolicy,
)
from requests_service.disputes.models import Dispute, DisputeEvent
from requests_service.notify.models import DeadlineReminder
from requests_service.objections.models import (
    Objection,
    ObjectionEvent,
    ObjectionFile,
    ObjectorIdentity,
)
from requests_service.reports.models import AnnualReportNarrative
from requests_service.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookFeedCursor,
    WebhookSubscription,
)
from requests_service.workflow.models import FeeItem, FeeSchedule, RefusalDecree, RequestNotice

TABLES: list[sa.Table] = [
    CalendarDay.metadata.tables[model.__tablename__]
    for model in (
        CalendarDay,
        CalendarPolicy,
        CalendarDayRemoval,
        InformationRequest,
        RequesterIdentity,
        RequestEvent,
        NumberCounter,
        RequestFile,
        RequestPolicy,
        OutboxMessage,
        DeadlineReminder,
        FeeSchedule,
        FeeItem,
        RequestNotice,
        RefusalDecree,
        Objection,
        ObjectorIdentity,
        ObjectionEvent,
        ObjectionFile,
        Dispute,
        DisputeEvent,
        WebhookSubscription,
        WebhookDelivery,
        WebhookAttempt,
        WebhookFeedCursor,
        AnnualReportNarrative,
    )
]
