"""Notifications of requests: emails through the outbox (DOMAIN.md 19; issue 5 point 7).

`events.on_request_event` (called by `core.history.record_event`) queues the
requester's email; `reminders.remind_once` queues officials' deadline reminders;
`lifespan.notify_lifespan` runs the kit's outbox worker and the reminders worker.
"""
