"""Choices for workers' requests and mediation cases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestCategory(models.TextChoices):
    WAGES = "wages", _("wages owed")
    CONTRACT = "contract", _("employment contract")
    SOCIAL_INSURANCE = "insurance", _("social insurance")
    WORK_INJURY = "injury", _("work injury")
    HOURS = "hours", _("working hours and rest")
    DISMISSAL = "dismissal", _("ending the employment")
    UNION_SERVICES = "services", _("union services")
    ADVICE = "advice", _("advice")
    OTHER = "other", _("other")


class RequestStatus(models.TextChoices):
    """The steps the worker sees: received, accepted (someone is handling it), resolved, closed (rated)."""

    NEW = "new", _("waiting to be accepted")
    ACCEPTED = "accepted", _("being handled")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", pgettext_lazy("request status", "closed")


OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.ACCEPTED)


class EventKind(models.TextChoices):
    FILED = "filed", _("filed")
    ROUTED = "routed", _("routed")
    ACCEPTED = "accepted", _("accepted")
    ASSIGNED = "assigned", _("handler assigned")
    RESPONDED = "responded", _("reply to the worker")
    FORWARDED = "forwarded", _("forwarded to the higher union")
    ESCALATED = "escalated", _("escalated for being overdue")
    DUE_SOON = "due_soon", _("due soon")
    REFERRED = "referred", _("referred to another department")
    MEDIATION = "mediation", _("taken into mediation")
    RESOLVED = "resolved", _("resolved")
    RATED = "rated", _("rated by the worker")
    REOPENED = "reopened", _("reopened at the worker's request")
    RECALCULATED = "recalculated", _("due dates recalculated with the loaded calendar")


# Events the worker sees on the status page; the others are the staff's own notes and reminders.
PUBLIC_EVENTS = (
    EventKind.FILED,
    EventKind.ROUTED,
    EventKind.ACCEPTED,
    EventKind.RESPONDED,
    EventKind.FORWARDED,
    EventKind.ESCALATED,
    EventKind.REFERRED,
    EventKind.MEDIATION,
    EventKind.RESOLVED,
    EventKind.RATED,
    EventKind.REOPENED,
)


class Department(models.TextChoices):
    LABOUR_INSPECTION = "inspection", _("labour inspection")
    ARBITRATION = "arbitration", _("labour dispute arbitration")
    COURT = "court", _("people's court")
    SOCIAL_INSURANCE = "insurance", _("social insurance agency")
    OTHER = "other", _("other department")


class CaseSource(models.TextChoices):
    REQUEST = "request", _("from a worker's request")
    DESK = "desk", _("at the mediation desk")
    COURT = "court", _("entrusted by a court")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("in mediation")
    SETTLED = "settled", _("settled")
    NOT_SETTLED = "not_settled", _("not settled, referred to arbitration")
    WITHDRAWN = "withdrawn", _("withdrawn")


CLOSED_CASE_STATUSES = (CaseStatus.SETTLED, CaseStatus.NOT_SETTLED, CaseStatus.WITHDRAWN)


class PartyRole(models.TextChoices):
    WORKER = "worker", _("worker")
    EMPLOYER = "employer", pgettext_lazy("party", "employer")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")


class ReviewResult(models.TextChoices):
    PENDING = "pending", _("waiting for the arbitration institute")
    CONFIRMED = "confirmed", _("confirmed (mediation document issued)")
    REFUSED = "refused", _("not confirmed")


# What a worker may tick as good when rating a resolved request (the form's labels: casework.forms.public).
GOOD_POINTS = ("fast", "attitude", "result", "explained")
