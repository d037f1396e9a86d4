"""What each step of a request tells whom, through the messages core (``unionhub.services.messages``): the
worker (the reference at filing, accepted, each reply, passed up, resolved with the rating link) by their
mobile number; the handler (a request routed or passed up to them, a time limit due soon, a reopen, new
files) by e-mail; the county and city leads (a request with no one to act on it: passed to a union with no
desk, or overdue at the top of the hierarchy) by e-mail.

Steps are recorded set-based (the sweep escalates thousands at once), so their messages are not written in
the step's transaction: after it commits, one ``casework.notify`` task per chunk of steps records them (each
step's messages once, keyed by the step, however often the task runs) and the core delivers them with its
retries and rate limit. A step rolled back sends nothing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.choices import EventKind
from casework.models import RequestEvent
from casework.selectors.reach import lead_handlers
from unionhub.messaging.backends import Recipient
from unionhub.services.jobs import task_send
from unionhub.services.messages import message_template, send_message

NOTIFY_TASK = "casework.notify"
# Steps somebody is told about; the others (assignments, ratings) are on the timeline.
NOTIFIED_KINDS = (
    EventKind.FILED,
    EventKind.RESPONDED,
    EventKind.REOPENED,
    EventKind.ATTACHED,
    EventKind.STALLED,
    EventKind.ROUTED,
    EventKind.ACCEPTED,
    EventKind.FORWARDED,
    EventKind.ESCALATED,
    EventKind.DUE_SOON,
    EventKind.RESOLVED,
    EventKind.REFERRED,
)  # mediation steps are told by casework.services.mediation_notices
CHUNK = 500  # step ids per task message

HANDLER_SUBJECT = _("Workers' request %(reference)s")
WORKER_SUBJECT = _("Your request %(reference)s")
REQUEST_ASSIGNED = message_template(
    code="casework.request_assigned",
    label=_("request to handle (to the handler)"),
    subject=HANDLER_SUBJECT,
    text=_("Request %(reference)s (%(category)s) is now yours to handle, by %(due)s. %(link)s"),
)
REQUEST_DUE_SOON = message_template(
    code="casework.request_due_soon",
    label=_("time limit due soon (to the handler)"),
    subject=HANDLER_SUBJECT,
    text=_("Request %(reference)s must be dealt with by %(due)s. %(link)s"),
)
REQUEST_ACCEPTED = message_template(
    code="casework.request_accepted",
    label=_("request accepted (to the worker)"),
    subject=WORKER_SUBJECT,
    text=_("%(union)s has taken up your request %(reference)s. Details: %(url)s"),
)
REQUEST_PASSED_UP = message_template(
    code="casework.request_passed_up",
    label=_("request passed to another union (to the worker)"),
    subject=WORKER_SUBJECT,
    text=_("Your request %(reference)s is now handled by %(union)s. Details: %(url)s"),
)
REQUEST_RESOLVED = message_template(
    code="casework.request_resolved",
    label=_("request resolved (to the worker)"),
    subject=WORKER_SUBJECT,
    text=_("Your request %(reference)s is resolved: %(note)s You can rate the handling. Details: %(url)s"),
)
REQUEST_FILED = message_template(
    code="casework.request_filed",
    label=_("request received, with its reference (to the worker)"),
    subject=WORKER_SUBJECT,
    text=_(
        "Your request has been received; its reference is %(reference)s. %(union)s will take it up by %(due)s. "
        "Keep the reference to follow it: %(url)s"
    ),
)
REQUEST_REPLY = message_template(
    code="casework.request_reply",
    label=_("a reply from the union (to the worker)"),
    subject=WORKER_SUBJECT,
    text=_("Reply about your request %(reference)s: %(note)s Details: %(url)s"),
)
REQUEST_REOPENED = message_template(
    code="casework.request_reopened",
    label=_("request reopened by the worker (to the handler)"),
    subject=HANDLER_SUBJECT,
    text=_("The worker reopened request %(reference)s: %(note)s To be resolved by %(due)s. %(link)s"),
)
REQUEST_FILES_ADDED = message_template(
    code="casework.request_files_added",
    label=_("worker added files (to the handler)"),
    subject=HANDLER_SUBJECT,
    text=_("The worker added files to request %(reference)s (%(note)s). %(link)s"),
)
REQUEST_UNATTENDED = message_template(
    code="casework.request_unattended",
    label=_("request with no one acting on it (to the county and city leads)"),
    subject=HANDLER_SUBJECT,
    text=_(
        "Request %(reference)s (%(category)s), held by %(union)s, has no one acting on it: its limit was "
        "%(due)s. Please name a handler. %(link)s"
    ),
)
REFERENCES_REMINDER = message_template(
    code="casework.references_reminder",
    label=_("the references of a worker's requests (to the worker)"),
    subject=_("Your requests"),
    text=_("The requests filed with this number: %(references)s. Follow them at %(url)s"),
)


def _url(path: str, **query) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}" + (f"?{urlencode(query)}" if query else "")


def status_url(reference: str = "") -> str:
    """The worker's status page (with the reference filled in, when given)."""
    return _url(reverse("casework:status"), **({"ref": reference} if reference else {}))


def _lead_recipients(request) -> list[Recipient]:
    return [Recipient(email=desk.user.email) for desk in lead_handlers(request.region_id) if desk.user.email]


def event_notices(event: RequestEvent) -> list[tuple]:
    """(template, parameters, recipient or list of recipients) of each message the step sends, from the
    request as it is now (after an escalation: its new holder and handler)."""
    request = event.request
    values = {
        "reference": request.reference,
        "union": str(event.to_union or request.holder),
        "category": str(request.get_category_display()),
        "due": f"{request.level_due_on:%Y-%m-%d}",
        "note": event.note,
    }
    handler = Recipient(email=request.handler.email) if request.handler is not None else None
    worker = Recipient(mobile=request.mobile)
    for_handler = {**values, "link": _url(reverse("admin:casework_workerrequest_change", args=[request.pk]))}
    for_worker = {**values, "url": status_url(request.reference)}
    notices = []
    if event.kind in (EventKind.ROUTED, EventKind.FORWARDED, EventKind.ESCALATED):
        notices.append((REQUEST_ASSIGNED, for_handler, handler))
        if request.handler is None:  # a union with no desk: never left with no one told
            notices.append((REQUEST_UNATTENDED, for_handler, _lead_recipients(request)))
    if event.kind == EventKind.STALLED:
        notices.append((REQUEST_UNATTENDED, for_handler, _lead_recipients(request)))
    elif event.kind == EventKind.FILED:
        notices.append((REQUEST_FILED, {**for_worker, "due": f"{request.acknowledge_due_on:%Y-%m-%d}"}, worker))
    elif event.kind == EventKind.RESPONDED:
        notices.append((REQUEST_REPLY, for_worker, worker))
    elif event.kind == EventKind.REOPENED:
        notices.append((REQUEST_REOPENED, for_handler, handler))
    elif event.kind == EventKind.ATTACHED:
        notices.append((REQUEST_FILES_ADDED, for_handler, handler))
    elif event.kind == EventKind.ACCEPTED:
        notices.append((REQUEST_ACCEPTED, for_worker, worker))
    elif event.kind in (EventKind.FORWARDED, EventKind.ESCALATED):
        notices.append((REQUEST_PASSED_UP, for_worker, worker))
    elif event.kind == EventKind.DUE_SOON:
        notices.append((REQUEST_DUE_SOON, for_handler, handler))
    elif event.kind in (EventKind.RESOLVED, EventKind.REFERRED):
        notices.append((REQUEST_RESOLVED, for_worker, worker))
    return [(template, params, recipient) for template, params, recipient in notices if recipient]


def notify_on_commit(event_ids: list[int]) -> None:
    """After the current transaction commits, a ``casework.notify`` task per chunk of steps."""
    ids = sorted(event_ids)
    if not ids:
        return

    def enqueue():
        for start in range(0, len(ids), CHUNK):
            task_send(NOTIFY_TASK, ids[start : start + CHUNK])

    transaction.on_commit(enqueue)


def events_notify(*, event_ids: list[int]) -> int:
    """Record (and have the core deliver) the messages of these steps; returns how many were recorded. Steps
    that are gone (rolled back) are skipped; a step whose messages are recorded already is not recorded
    again."""
    events = (
        RequestEvent.objects.filter(pk__in=event_ids, kind__in=NOTIFIED_KINDS)
        .select_related("request__holder", "request__handler", "to_union")
        .order_by("pk")
    )
    recorded = 0
    for event in events:
        for template, params, recipient in event_notices(event):
            recorded += len(
                send_message(
                    template=template,
                    params=params,
                    recipients=recipient if isinstance(recipient, list) else [recipient],
                    about=event.request,
                    region_id=event.request.region_id,
                    key=f"casework.event:{event.pk}:{template.code}",
                )
            )
    return recorded
