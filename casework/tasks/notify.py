"""The messages of request steps, recorded after commit (see casework.services.notices)."""

from __future__ import annotations

from celery import shared_task

from casework.services.notices import NOTIFY_TASK, events_notify


@shared_task(name=NOTIFY_TASK, autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=30 * 60, max_retries=8)
def notify(event_ids: list[int]) -> int:
    """Record the steps' messages; the core delivers each with its own retries. Safe to run again (each
    step's messages are recorded once), so a failure (the database restarting) is retried as a whole."""
    return events_notify(event_ids=event_ids)
