"""The messages core: record what is sent to whom, deliver it as a background task with retries, limit the
SMS per recipient. Every app tells people things through here (membership decisions, casework steps).

* **Templates.** An app declares each message once with :func:`message_template`: a code
  (``membership.application_approved``), a label, and the subject and text as translatable format strings
  (``%(reference)s``), rendered in the site's language (Chinese) whoever triggers them. The SMS gateway sends
  the code's provider template (``MESSAGE_SMS_TEMPLATE_CODES``) with the same parameters.
* **Sending.** :func:`send_message` records one :class:`~unionhub.models.Message` per recipient and channel
  that reaches them (``MESSAGE_BACKENDS``), inside the caller's transaction: a decision rolled back sends
  nothing. Delivery is enqueued after commit: the ``unionhub.message_deliver`` Celery task per message, or a
  thread of the web process when ``JOB_RUNNER`` is ``thread``.
* **Once.** Delivery claims the message with one conditional UPDATE (queued or retrying, and due →
  sending); a message delivered twice is sent once, a sent message never again. A worker lost while
  sending leaves the message "sending"; the sweep fails it after ``JOB_STALE_SECONDS`` rather than risk a
  second SMS.
* **Retries.** A failed attempt leaves the message "retrying" until ``next_attempt_at`` (back-off from
  ``MESSAGE_RETRY_SECONDS``, doubling, at most an hour); after ``MESSAGE_MAX_ATTEMPTS`` attempts it is
  "failed" with the last error (masked). The task re-sends itself; the job sweep (every minute) sends again
  what is due and was lost.
* **Rate limit.** At most ``MESSAGE_SMS_RATE_PER_HOUR`` SMS to one number in any hour. One more is not
  dropped and not failed: it waits ("retrying", without using an attempt) until the oldest of those leaves
  the hour, with the reason in Chinese - a worker still learns of a decision, and nobody can make the system
  flood a number. It is counted from the sent messages when delivering: two workers sending to one number at
  the same instant may both pass, so it is a bound within one or two, not a lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.db.models import F, Model, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.messaging.backends import PermanentDeliveryError, Recipient, backend_for, enabled_backends
from unionhub.models.messages import DELIVERABLE_STATUSES, Message, MessageChannel, MessageStatus
from unionhub.personal import mask_text
from unionhub.services.jobs import task_send

log = logging.getLogger(__name__)

DELIVER_TASK = "unionhub.message_deliver"
MAX_RETRY_DELAY = dt.timedelta(hours=1)
RATE_WINDOW = dt.timedelta(hours=1)
SWEEP_BATCH = 1000


@dataclass(frozen=True)
class MessageTemplate:
    """One kind of message: ``code`` (also the key of its SMS provider template), a label for staff, and the
    subject and text as translatable ``%(name)s`` format strings. ``on_sent(message)`` runs once a message of
    this template is sent (membership records that the worker was told)."""

    code: str
    label: str
    subject: str
    text: str
    on_sent: Callable[[Message], None] | None = None

    def render(self, params: dict) -> tuple[str, str]:
        """(subject, text) in the site's language (a worker process has no request to take one from)."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(self.subject) % params, str(self.text) % params


TEMPLATES: dict[str, MessageTemplate] = {}


def message_template(*, code: str, label, subject, text, on_sent=None) -> MessageTemplate:
    """Declare (register) a message template; apps call it at import time of their services."""
    template = MessageTemplate(code=code, label=label, subject=subject, text=text, on_sent=on_sent)
    TEMPLATES[code] = template
    return template


def message_template_get(code: str) -> MessageTemplate | None:
    """The registered template (every app's services are loaded when Django starts: each app's
    ``AppConfig.ready`` imports its tasks, which import its services)."""
    return TEMPLATES.get(code)


def message_template_label(code: str):
    template = message_template_get(code)
    return template.label if template is not None else gettext_lazy("other message")


def send_message(
    *,
    template: MessageTemplate,
    params: dict,
    recipients: Iterable[Recipient],
    about: Model | None = None,
    region_id: str | None = None,
    key: str = "",
) -> list[Message]:
    """Record the message for every recipient on every enabled channel that reaches them, and deliver it
    after the current transaction commits. ``about`` is the object it concerns, ``region_id`` the region that
    scopes it (the object's county). With a ``key`` already recorded nothing is recorded again."""
    if key and Message.objects.filter(key=key).exists():
        return []
    params = {name: str(value) for name, value in params.items()}
    subject, text = template.render(params)
    content_type = ContentType.objects.get_for_model(type(about)) if about is not None else None
    rows: dict[tuple[str, str], Message] = {}
    for backend in enabled_backends():
        for recipient in recipients:
            address = backend.address(recipient)
            if not address or (backend.channel, address) in rows:
                continue
            rows[backend.channel, address] = Message(
                channel=backend.channel,
                recipient=address,
                recipient_display=backend.display(address),
                template=template.code,
                params=params,
                subject=subject[:200],
                text=text,
                region_id=region_id or None,
                content_type=content_type,
                object_id=about.pk if about is not None else None,
                key=key,
            )
    messages = Message.objects.bulk_create(list(rows.values()))
    ids = [message.pk for message in messages]
    if ids:
        transaction.on_commit(lambda: messages_dispatch(ids))
    return messages


def messages_dispatch(ids: list[int]) -> None:
    """Send the messages to be delivered now: a Celery task each, or the process's delivery thread
    (``JOB_RUNNER=thread``)."""
    if settings.JOB_RUNNER == "thread":
        _deliver_in_thread(ids)
        return
    for message_id in ids:
        try:
            task_send(DELIVER_TASK, message_id)
        except Exception:  # the broker is down: the sweep sends queued messages again once it is back
            log.warning("message %s could not be sent to a worker; the sweep will send it again", message_id)


# The embedded default (no broker): one daemon thread per process delivers the messages in turn, with its own
# database connection (one writer, not a thread per decision on SQLite); a retry is put back on the queue by
# a timer when it is due. The thread ends when the queue stays empty and is started again on demand.
_PENDING: queue.SimpleQueue[int] = queue.SimpleQueue()
_CONSUMER_LOCK = threading.Lock()
_consumer: threading.Thread | None = None
IDLE_SECONDS = 5


def _deliver_in_thread(ids: list[int]) -> None:
    global _consumer
    for message_id in ids:
        _PENDING.put(message_id)
    with _CONSUMER_LOCK:
        if _consumer is None or not _consumer.is_alive():
            _consumer = threading.Thread(target=_consume, name="messages", daemon=True)
            _consumer.start()


def _consume() -> None:
    global _consumer
    try:
        while True:
            if _PENDING.empty():
                connections.close_all()  # no connection held while the thread waits for more
            try:
                message_id = _PENDING.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with _CONSUMER_LOCK:
                    if _PENDING.empty():
                        _consumer = None
                        return
                continue
            try:
                message = message_deliver(message_id=message_id)
            except Exception:
                log.exception("message %s could not be delivered; the sweep will send it again", message_id)
                continue
            if message is not None and message.status == MessageStatus.RETRYING and message.next_attempt_at:
                wait = max(0.0, (message.next_attempt_at - timezone.now()).total_seconds())
                timer = threading.Timer(wait, _deliver_in_thread, args=([message_id],))
                timer.daemon = True
                timer.start()
    finally:
        connections.close_all()


def retry_delay(attempts: int) -> dt.timedelta:
    """After the ``attempts``-th failed attempt: ``MESSAGE_RETRY_SECONDS``, doubling, at most an hour."""
    seconds = settings.MESSAGE_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return min(dt.timedelta(seconds=seconds), MAX_RETRY_DELAY)


def sms_rate_limited_until(message: Message, now: dt.datetime) -> dt.datetime | None:
    """When the recipient may get this SMS, if ``MESSAGE_SMS_RATE_PER_HOUR`` were sent to them in the last
    hour; None if it may go now."""
    limit = settings.MESSAGE_SMS_RATE_PER_HOUR
    sent = list(
        Message.objects.filter(
            recipient=message.recipient,
            channel=MessageChannel.SMS,
            status=MessageStatus.SENT,
            sent_at__gt=now - RATE_WINDOW,
            sent_at__lte=now,
        )
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
    )
    if len(sent) < limit:
        return None
    return sent[len(sent) - limit] + RATE_WINDOW


def message_deliver(*, message_id: int, now: dt.datetime | None = None) -> Message | None:
    """Claim the message and send it through its channel's backend; it ends sent, retrying or failed. A
    message that is not deliverable now (sent, failed, being sent, or not due) is left as it is and
    returned."""
    now = now or timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = Message.objects.filter(due, pk=message_id, status__in=DELIVERABLE_STATUSES).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    message = Message.objects.filter(pk=message_id).first()
    if not claimed or message is None:
        return message
    sending = Message.objects.filter(pk=message_id, status=MessageStatus.SENDING)
    if message.channel == MessageChannel.SMS:
        wait = sms_rate_limited_until(message, now)
        if wait is not None:
            with translation.override(settings.LANGUAGE_CODE):
                reason = _(
                    "%(limit)s text messages were sent to this number in the last hour; this one waits until %(when)s."
                ) % {"limit": settings.MESSAGE_SMS_RATE_PER_HOUR, "when": f"{timezone.localtime(wait):%H:%M}"}
            sending.update(
                status=MessageStatus.RETRYING, attempts=F("attempts") - 1, next_attempt_at=wait, last_error=reason
            )
            log.info("message %s to %s waits for the rate limit until %s", message.pk, message.recipient_display, wait)
            return Message.objects.get(pk=message_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            backend_for(message.channel).send(message)
    except Exception as exc:
        error = mask_text(str(exc) or type(exc).__name__)[:1000]
        final = isinstance(exc, PermanentDeliveryError) or message.attempts >= settings.MESSAGE_MAX_ATTEMPTS
        log.warning(
            "message %s (%s, %s to %s) failed at attempt %s%s: %s",
            message.pk,
            message.template,
            message.channel,
            message.recipient_display,
            message.attempts,
            "" if final else ", to be retried",
            error,
        )
        if final:
            sending.update(status=MessageStatus.FAILED, last_error=error, next_attempt_at=None)
        else:
            sending.update(
                status=MessageStatus.RETRYING, last_error=error, next_attempt_at=now + retry_delay(message.attempts)
            )
        return Message.objects.get(pk=message_id)
    sending.update(status=MessageStatus.SENT, sent_at=now, next_attempt_at=None)
    message.refresh_from_db()
    template = message_template_get(message.template)
    if template is not None and template.on_sent is not None:
        try:
            template.on_sent(message)
        except Exception:  # the message went out; what the app records about it must not make it look unsent
            log.exception("message %s (%s): on_sent failed", message.pk, message.template)
    return message


def messages_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Fail messages whose sending was interrupted (a lost worker: not sent again, as it may have gone out);
    send again the retries that are due and the queued messages whose task was lost. Safe to run twice at
    once: every delivery claims its message."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    with translation.override(settings.LANGUAGE_CODE):
        interrupted = _(
            "Sending was interrupted (the background worker stopped); it is not sent again, as it may have gone out."
        )
    failed = Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=stale).update(
        status=MessageStatus.FAILED, last_error=interrupted
    )
    resend = now - dt.timedelta(seconds=settings.JOB_RESEND_SECONDS)
    due = Message.objects.filter(
        Q(status=MessageStatus.RETRYING, next_attempt_at__lte=now)
        | Q(status=MessageStatus.QUEUED, created_at__lt=resend)
    )
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    if ids:
        messages_dispatch(ids)
    return {"failed": failed, "resent": len(ids)}


def messages_about(obj: Model):
    """The messages about one object (an application, a request), newest first."""
    return Message.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
