"""Delivering messages (``unionhub.services.messages``): one task per message, retried with back-off."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from unionhub.models.messages import MessageStatus
from unionhub.services import messages


@shared_task(name=messages.DELIVER_TASK, bind=True, max_retries=None)
def message_deliver(self, message_id: int) -> str:
    """Deliver one message; while it is "retrying", send this task again for its next attempt (the service
    counts the attempts and ends it failed). Not ``acks_late``: sending is not idempotent (a second SMS), so
    a worker lost mid-send leaves the message "sending" for the sweep to fail, rather than send it twice.
    In-process (eager, no broker) nothing waits: the sweep sends the retry when it is due."""
    message = messages.message_deliver(message_id=message_id)
    if message is None:
        return "missing"
    if message.status == MessageStatus.RETRYING and message.next_attempt_at and not self.request.is_eager:
        countdown = max(1, int((message.next_attempt_at - timezone.now()).total_seconds()) + 1)
        raise self.retry(countdown=countdown)
    return message.status
