"""Casework's lists' filters: workers' requests and mediation cases, one FilterSet each, read by the list
selectors (``casework.selectors.lists``) and named as the admin changelist's query parameters (``mine``, ``due``,
``status__exact``, ``escalation_level``, ``period``, ``instalments``, ``station__id__exact``, the date hierarchy's; see
``unionhub.lists``). The admin's own list filters narrow through the functions below.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.choices import OPEN_STATUSES, CaseSource, CaseStatus, RequestCategory, RequestStatus
from casework.models import MediationCase, WorkerRequest
from casework.selectors.clock import mediation_periods_end
from casework.selectors.figures import cases_with_overdue_instalments
from unionhub.lists import ListFilterSet

MINE_CHOICES = [("me", _("assigned to me")), ("desk", _("my unions' requests"))]
DUE_CHOICES = [("overdue", _("overdue")), ("soon", _("due soon")), ("provisional", _("provisional due dates"))]
ESCALATION_CHOICES = [("0", "0"), ("1", "1"), ("2", "2"), ("3+", "≥ 3")]
PERIOD_CHOICES = [("near", _("ends within 3 days, still open")), ("passed", _("15 days passed, still open"))]
INSTALMENT_CHOICES = [("overdue", _("an instalment overdue"))]
MEDIATION_PERIOD_DAYS = 15
MEDIATION_WARNING_DAYS = 3  # ``near``: the period ends today or within this many days
LONGEST_HOLIDAY_DAYS = 10  # a period ending in a holiday runs on to the next working day: at most this much later


# --- what a choice means (the admin's list filters call these too) ------------------------------------------


def requests_whose(queryset: QuerySet, value: str | None, user) -> QuerySet:
    """``me``: assigned to the user; ``desk``: held by a union the user handles for; else all."""
    if value == "me":
        return queryset.filter(handler=user)
    if value == "desk":
        return queryset.filter(holder__handlers__user=user)
    return queryset


def requests_due(queryset: QuerySet, value: str | None, today: dt.date | None = None) -> QuerySet:
    """Open requests past their current limit (``overdue``), in its last fifth (``soon``), or whose due dates
    are provisional (``provisional``: counted across a year whose calendar is not loaded); else all."""
    if value not in ("overdue", "soon", "provisional"):
        return queryset
    today = today or timezone.localdate()
    open_ = queryset.filter(status__in=OPEN_STATUSES)
    if value == "provisional":
        return open_.filter(due_provisional=True)
    if value == "overdue":
        return open_.filter(level_due_on__lt=today)
    return open_.filter(due_soon_on__lte=today, level_due_on__gte=today)


def requests_escalated(queryset: QuerySet, value: str | None) -> QuerySet:
    """Escalated 0, 1 or 2 times, or ``3+``."""
    if value in {"0", "1", "2"}:
        return queryset.filter(escalation_level=int(value))
    if value == "3+":
        return queryset.filter(escalation_level__gte=3)
    return queryset


def cases_past_period(queryset: QuerySet, value: str | None, today: dt.date | None = None) -> QuerySet:
    """``passed``: open cases past their 15-day period (a party may go to arbitration); ``near``: open cases whose
    period ends today or within ``MEDIATION_WARNING_DAYS`` (not those long past); else all.

    15 calendar days, plus a holiday at the end: narrowed in SQL, decided in Python by the case's
    ``mediation_period_ends_on`` (the working-day clock)."""
    if value not in ("passed", "near"):
        return queryset
    today = today or timezone.localdate()
    open_cases = queryset.filter(status=CaseStatus.OPEN)
    if value == "passed":
        candidates = open_cases.filter(received_on__lt=today - dt.timedelta(days=MEDIATION_PERIOD_DAYS))
        ends = mediation_periods_end(list(candidates.select_related("station")))
        return queryset.filter(pk__in=[pk for pk, end in ends.items() if today > end])
    last = today + dt.timedelta(days=MEDIATION_WARNING_DAYS)
    candidates = open_cases.filter(
        received_on__lte=last - dt.timedelta(days=MEDIATION_PERIOD_DAYS),
        received_on__gte=today - dt.timedelta(days=MEDIATION_PERIOD_DAYS + LONGEST_HOLIDAY_DAYS),
    )
    ends = mediation_periods_end(list(candidates.select_related("station")))
    return queryset.filter(pk__in=[pk for pk, end in ends.items() if today <= end <= last])


def cases_instalments(queryset: QuerySet, value: str | None, today: dt.date | None = None) -> QuerySet:
    """``overdue``: cases with an instalment past its date and not fully paid; else all."""
    if value != "overdue":
        return queryset
    overdue = cases_with_overdue_instalments(queryset, today or timezone.localdate())
    return queryset.filter(pk__in=overdue.values("pk"))


# --- the FilterSets -----------------------------------------------------------------------------------------


class RequestFilterSet(ListFilterSet):
    """Workers' requests: whose (needs ``user``), time limit, status, category, escalations, the filing date."""

    date_hierarchy = "filed_at"

    mine = django_filters.ChoiceFilter(
        choices=MINE_CHOICES, method="filter_mine", label=pgettext_lazy("request handler", "whose")
    )
    due = django_filters.ChoiceFilter(choices=DUE_CHOICES, method="filter_due", label=_("time limit"))
    status__exact = django_filters.ChoiceFilter(field_name="status", choices=RequestStatus.choices, label=_("status"))
    category__exact = django_filters.ChoiceFilter(
        field_name="category", choices=RequestCategory.choices, label=_("category")
    )
    escalation_level = django_filters.ChoiceFilter(
        choices=ESCALATION_CHOICES, method="filter_escalation", label=_("escalations")
    )

    class Meta:
        model = WorkerRequest
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user

    def filter_mine(self, queryset, name, value):
        return requests_whose(queryset, value, self.user) if self.user is not None else queryset.none()

    def filter_due(self, queryset, name, value):
        return requests_due(queryset, value)

    def filter_escalation(self, queryset, name, value):
        return requests_escalated(queryset, value)


class MediationCaseFilterSet(ListFilterSet):
    """Mediation cases: outcome, source, category, past the 15-day period, desk (station), date received."""

    date_hierarchy = "received_on"

    status__exact = django_filters.ChoiceFilter(
        field_name="status", choices=CaseStatus.choices, label=pgettext_lazy("mediation case", "outcome")
    )
    source__exact = django_filters.ChoiceFilter(field_name="source", choices=CaseSource.choices, label=_("source"))
    category__exact = django_filters.ChoiceFilter(
        field_name="category", choices=RequestCategory.choices, label=_("category")
    )
    period = django_filters.ChoiceFilter(choices=PERIOD_CHOICES, method="filter_period", label=_("mediation period"))
    instalments = django_filters.ChoiceFilter(
        choices=INSTALMENT_CHOICES, method="filter_instalments", label=_("instalments")
    )
    station__id__exact = django_filters.NumberFilter(field_name="station", label=_("mediation desk"))

    class Meta:
        model = MediationCase
        fields: list[str] = []

    def filter_period(self, queryset, name, value):
        return cases_past_period(queryset, value)

    def filter_instalments(self, queryset, name, value):
        return cases_instalments(queryset, value)
