"""ppid_kit.outbox: emails queued in the caller's transaction, sent by a worker.

`enqueue_email` is what a service's packages use; `outbox_lifespan` runs the worker
(the app's settings must include `MailSettings`); `drain_once` runs one pass
synchronously (tools and tests). The table is `outbox_messages`: a service lists
`OUTBOX_TABLE` among its own and creates it with `ppid_kit.migrations.create_outbox_table`.
"""

from ppid_kit.outbox.models import OUTBOX_TABLE, OutboxMessage
from ppid_kit.outbox.repository import cancel_pending_to, enqueue_email
from ppid_kit.outbox.settings import MailSettings
from ppid_kit.outbox.worker import drain_once, outbox_lifespan

__all__ = [
    "OUTBOX_TABLE",
    "MailSettings",
    "OutboxMessage",
    "cancel_pending_to",
    "drain_once",
    "enqueue_email",
    "outbox_lifespan",
]
