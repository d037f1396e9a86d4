"""Telling people what happened to a request: the worker (accepted, passed up, resolved) and the handler (a
request routed or passed up to them, a time limit due soon), through pluggable backends.

``CASEWORK_NOTIFICATION_BACKENDS`` (``casework.conf``) lists dotted paths of backend classes. After the step
commits, one ``casework.notify`` Celery task per backend sends the step's notices (so a failing SMS gateway
is retried on its own, without e-mailing twice). Shipped: ``ConsoleBackend`` (the log, mobile numbers
masked) and ``EmailBackend`` (the handler's e-mail address; for the worker, an e-mail-to-SMS gateway address
made from the mobile number, silent while ``CASEWORK_NOTIFICATION_EMAIL_TO`` is empty). An SMS gateway is a
subclass of ``SmsBackend`` implementing ``send_sms(mobile, text)``. A backend raises on failure; the task
retries the steps that failed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from casework import conf
from casework.choices import EventKind
from casework.models import RequestEvent
from unionhub.personal import MOBILE, mask

logger = logging.getLogger(__name__)

NOTIFY_TASK = "casework.notify"
WORKER, HANDLER = "worker", "handler"
# Steps somebody is told about; the others (filed, replies, ratings) the worker sees on the status page.
NOTIFIED_KINDS = (
    EventKind.ROUTED,
    EventKind.ACCEPTED,
    EventKind.FORWARDED,
    EventKind.ESCALATED,
    EventKind.DUE_SOON,
    EventKind.RESOLVED,
    EventKind.REFERRED,
    EventKind.MEDIATION,
)
CHUNK = 500  # step ids per task message


@dataclass(frozen=True)
class Notice:
    """One message to one person: everything a backend needs, nothing it must look up."""

    audience: str  # WORKER or HANDLER
    reference: str
    subject: str
    text: str
    mobile: str = ""
    email: str = ""


def _url(path: str, **query) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}" + (f"?{urlencode(query)}" if query else "")


def _handler_notice(request, text: str) -> Notice | None:
    if request.handler is None:
        return None
    link = _url(reverse("admin:casework_workerrequest_change", args=[request.pk]))
    return Notice(
        audience=HANDLER,
        reference=request.reference,
        subject=_("Workers' request %(reference)s") % {"reference": request.reference},
        text=f"{text} {link}",
        email=request.handler.email,
    )


def _worker_notice(request, text: str) -> Notice:
    link = _url(reverse("casework:status"), ref=request.reference)
    return Notice(
        audience=WORKER,
        reference=request.reference,
        subject=_("Your request %(reference)s") % {"reference": request.reference},
        text=_("%(text)s Details: %(url)s") % {"text": text, "url": link},
        mobile=request.mobile,
    )


def notices_for_event(event: RequestEvent) -> list[Notice]:
    """What the step tells whom (the request as it is now: after an escalation, its new holder and handler)."""
    request = event.request
    values = {
        "reference": request.reference,
        "union": event.to_union or request.holder,
        "category": request.get_category_display(),
        "due": f"{request.level_due_on:%Y-%m-%d}",
    }
    notices: list[Notice | None] = []
    if event.kind in (EventKind.ROUTED, EventKind.FORWARDED, EventKind.ESCALATED):
        notices.append(
            _handler_notice(
                request, _("Request %(reference)s (%(category)s) is now yours to handle, by %(due)s.") % values
            )
        )
    if event.kind == EventKind.ACCEPTED:
        notices.append(_worker_notice(request, _("%(union)s has taken up your request %(reference)s.") % values))
    elif event.kind in (EventKind.FORWARDED, EventKind.ESCALATED):
        notices.append(_worker_notice(request, _("Your request %(reference)s is now handled by %(union)s.") % values))
    elif event.kind == EventKind.DUE_SOON:
        notices.append(_handler_notice(request, _("Request %(reference)s must be dealt with by %(due)s.") % values))
    elif event.kind in (EventKind.RESOLVED, EventKind.REFERRED, EventKind.MEDIATION):
        notices.append(
            _worker_notice(
                request,
                _("Your request %(reference)s is resolved: %(note)s You can rate the handling.")
                % {**values, "note": event.note},
            )
        )
    return [notice for notice in notices if notice is not None]


class NotificationBackend:
    """The interface: one method, raising on failure so that the task retries."""

    def send(self, notice: Notice) -> None:
        raise NotImplementedError


class ConsoleBackend(NotificationBackend):
    """Writes the message to the log, with the mobile number masked."""

    def send(self, notice: Notice) -> None:
        to = mask(notice.mobile, MOBILE) if notice.mobile else notice.email or "-"
        logger.info("casework notice to %s %s: %s", notice.audience, to, notice.text)


class EmailBackend(NotificationBackend):
    """The handler's e-mail address; for the worker, ``CASEWORK_NOTIFICATION_EMAIL_TO`` with ``{mobile}``
    filled in. Nothing to send when there is no address."""

    def send(self, notice: Notice) -> None:
        address = notice.email
        if notice.audience == WORKER:
            template = conf.notification_email_to()
            address = template.format(mobile=notice.mobile) if template and notice.mobile else ""
        if address:
            send_mail(notice.subject, notice.text, None, [address])


class SmsBackend(NotificationBackend):
    """Base for an SMS gateway: implement :meth:`send_sms`. Only the worker gives a mobile number."""

    def send(self, notice: Notice) -> None:
        if notice.mobile:
            self.send_sms(notice.mobile, notice.text)

    def send_sms(self, mobile: str, text: str) -> None:
        raise NotImplementedError


def get_backend(path: str) -> NotificationBackend:
    return import_string(path)()


def notify_on_commit(event_ids: list[int]) -> None:
    """After the current transaction commits, a ``casework.notify`` task per backend and chunk of steps."""
    from unionhub.services.jobs import task_send

    ids = sorted(event_ids)
    if not ids:
        return

    def enqueue():
        for backend in conf.notification_backends():
            for start in range(0, len(ids), CHUNK):
                task_send(NOTIFY_TASK, ids[start : start + CHUNK], backend)

    transaction.on_commit(enqueue)


def events_notify(*, event_ids: list[int], backend: str) -> list[int]:
    """Send the notices of these steps through one backend; returns the ids of the steps whose sending failed
    (to retry them, and only them). Steps that are gone (rolled back) are skipped."""
    sender = get_backend(backend)
    events = (
        RequestEvent.objects.filter(pk__in=event_ids, kind__in=NOTIFIED_KINDS)
        .select_related("request__holder", "request__handler", "to_union")
        .order_by("pk")
    )
    failed = []
    for event in events:
        try:
            # A worker process has no request to take a language from: the site's language (Chinese).
            with translation.override(settings.LANGUAGE_CODE):
                notices = notices_for_event(event)
            for notice in notices:
                sender.send(notice)
        except Exception:
            # The request's reference identifies it; the mobile number stays out of the log.
            logger.exception("casework notice for %s (%s) via %s failed", event.request.reference, event.kind, backend)
            failed.append(event.pk)
    return failed
