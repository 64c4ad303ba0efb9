"""auth_service.outbox: emails queued in the caller's transaction, sent by a worker.

`enqueue_email` is what the other packages use; `outbox_lifespan` runs the worker;
`drain_once` runs one pass synchronously (tools and tests).
"""

from auth_service.outbox.repository import enqueue_email
from auth_service.outbox.worker import drain_once, outbox_lifespan

__all__ = ["drain_once", "enqueue_email", "outbox_lifespan"]
