"""Notices of request steps, sent after commit through one backend per task (see casework.services.notifications)."""

from __future__ import annotations

from celery import shared_task

from casework.services.notifications import NOTIFY_TASK, events_notify

MAX_RETRIES = 8


@shared_task(name=NOTIFY_TASK, bind=True, max_retries=MAX_RETRIES)
def notify(self, event_ids: list[int], backend: str) -> int:
    """Send the steps' notices; retry, with back-off, only the steps whose sending failed. Not ``acks_late``:
    sending is not idempotent (a second SMS), so a message lost with a dying worker is preferred to one sent
    twice."""
    failed = events_notify(event_ids=event_ids, backend=backend)
    if failed and self.request.is_eager:
        # In-process (no broker, the embedded set-up): there is no worker to retry later, and the failure of a
        # notice must not turn the page that caused it into an error. It is logged by events_notify.
        return len(event_ids) - len(failed)
    if failed:
        countdown = min(30 * 2**self.request.retries, 30 * 60)
        raise self.retry(args=(failed, backend), countdown=countdown)
    return len(event_ids)
