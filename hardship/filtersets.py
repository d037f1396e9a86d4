"""Hardship's lists' filters, one FilterSet per listable model, named as the admin changelist's query
parameters (``status__exact``, ``layer__exact``, ``cause__exact``, ``recheck``, ``notice``, ``waiting``)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hardship.models import (
    Cause,
    Cycle,
    CycleStatus,
    Entitlement,
    Household,
    HouseholdStatus,
    Layer,
    PaymentStatus,
    Recheck,
)
from unionhub.lists import ListFilterSet

NOTICE_CHOICES = [("ending", _("notice ends within 2 days")), ("ended", _("notice ended, awaiting approval"))]
WAITING_CHOICES = [("yes", _("applications in progress"))]
DUE_CHOICES = [("open", _("not done")), ("overdue", _("overdue"))]
NOTICE_ENDING_DAYS = 2
IN_PROGRESS = (HouseholdStatus.APPLIED, HouseholdStatus.VISITED, HouseholdStatus.REVIEWED)


def households_notice(queryset: QuerySet, value: str | None, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    on_notice = queryset.filter(status=HouseholdStatus.NOTICE)
    if value == "ending":
        return on_notice.filter(notice_ends__gte=today, notice_ends__lte=today + dt.timedelta(days=NOTICE_ENDING_DAYS))
    if value == "ended":
        return on_notice.filter(notice_ends__lt=today)
    return queryset


def households_waiting(queryset: QuerySet, value: str | None) -> QuerySet:
    return queryset.filter(status__in=IN_PROGRESS) if value == "yes" else queryset


def rechecks_due(queryset: QuerySet, value: str | None, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    if value == "open":
        return queryset.filter(done_on__isnull=True)
    if value == "overdue":
        return queryset.filter(done_on__isnull=True, due_on__lt=today)
    return queryset


class HouseholdFilterSet(ListFilterSet):
    date_hierarchy = "applied_on"

    status__exact = django_filters.ChoiceFilter(field_name="status", choices=HouseholdStatus.choices, label=_("status"))
    layer__exact = django_filters.ChoiceFilter(field_name="layer", choices=Layer.choices, label=_("layer"))
    cause__exact = django_filters.ChoiceFilter(field_name="cause", choices=Cause.choices, label=_("cause of hardship"))
    union__id__exact = django_filters.NumberFilter(field_name="union", label=_("grassroots union"))
    notice = django_filters.ChoiceFilter(choices=NOTICE_CHOICES, method="filter_notice", label=_("public notice"))
    waiting = django_filters.ChoiceFilter(choices=WAITING_CHOICES, method="filter_waiting", label=_("in progress"))

    class Meta:
        model = Household
        fields: list[str] = []

    def filter_notice(self, queryset, name, value):
        return households_notice(queryset, value)

    def filter_waiting(self, queryset, name, value):
        return households_waiting(queryset, value)


class CycleFilterSet(ListFilterSet):
    status__exact = django_filters.ChoiceFilter(field_name="status", choices=CycleStatus.choices, label=_("status"))
    programme__id__exact = django_filters.NumberFilter(field_name="programme", label=_("assistance programme"))

    class Meta:
        model = Cycle
        fields: list[str] = []


class EntitlementFilterSet(ListFilterSet):
    status__exact = django_filters.ChoiceFilter(field_name="status", choices=PaymentStatus.choices, label=_("status"))
    cycle__id__exact = django_filters.NumberFilter(field_name="cycle", label=_("programme cycle"))

    class Meta:
        model = Entitlement
        fields: list[str] = []


class RecheckFilterSet(ListFilterSet):
    recheck = django_filters.ChoiceFilter(choices=DUE_CHOICES, method="filter_due", label=_("due"))
    year = django_filters.NumberFilter(field_name="year", label=_("year"))

    class Meta:
        model = Recheck
        fields: list[str] = []

    def filter_due(self, queryset, name, value):
        return rechecks_due(queryset, value)
