"""Employment's lists' filters, one FilterSet per listable model, named as the admin changelists' query
parameters (``status__exact``, ``occupation__exact``, ``station__id__exact``, ``waiting``, the date hierarchy's)."""

from __future__ import annotations

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.choices import FairKind, Outcome, VacancyStatus, WishSource, WishStatus
from employment.models import JobFair, JobSheet, JobWish, MinimumWage, Referral, Vacancy
from membership.choices import Occupation
from unionhub.lists import ListFilterSet

CURRENT_CHOICES = [("yes", _("shown to workers")), ("no", _("not shown (expired, filled or closed)"))]
WAITING_CHOICES = [("yes", _("open, not expired")), ("expired", _("expired, not renewed"))]


def vacancies_current(queryset: QuerySet, value: str | None) -> QuerySet:
    """``yes``: what the public lists show today; ``no``: the rest."""
    if value not in ("yes", "no"):
        return queryset
    today = timezone.localdate()
    shown = Q(status=VacancyStatus.PUBLISHED, valid_until__gte=today, filled_posts__lt=F("posts"))
    return queryset.filter(shown) if value == "yes" else queryset.exclude(shown)


def wishes_waiting(queryset: QuerySet, value: str | None) -> QuerySet:
    today = timezone.localdate()
    if value == "yes":
        return queryset.filter(status=WishStatus.OPEN, valid_until__gte=today)
    if value == "expired":
        return queryset.filter(status=WishStatus.OPEN, valid_until__lt=today)
    return queryset


class VacancyFilterSet(ListFilterSet):
    date_hierarchy = "created_at"
    status__exact = django_filters.ChoiceFilter(field_name="status", choices=VacancyStatus.choices, label=_("status"))
    occupation__exact = django_filters.ChoiceFilter(
        field_name="occupation", choices=Occupation.choices, label=_("occupation")
    )
    station__id__exact = django_filters.NumberFilter(field_name="station_id", label=_("station"))
    current = django_filters.ChoiceFilter(choices=CURRENT_CHOICES, method="filter_current", label=_("shown to workers"))

    class Meta:
        model = Vacancy
        fields: list[str] = []

    def filter_current(self, queryset, name, value):
        return vacancies_current(queryset, value)


class JobWishFilterSet(ListFilterSet):
    date_hierarchy = "created_at"
    status__exact = django_filters.ChoiceFilter(field_name="status", choices=WishStatus.choices, label=_("status"))
    source__exact = django_filters.ChoiceFilter(field_name="source", choices=WishSource.choices, label=_("source"))
    occupation__exact = django_filters.ChoiceFilter(
        field_name="occupation", choices=Occupation.choices, label=_("occupation wanted")
    )
    station__id__exact = django_filters.NumberFilter(field_name="station_id", label=_("station"))
    waiting = django_filters.ChoiceFilter(choices=WAITING_CHOICES, method="filter_waiting", label=_("waiting"))

    class Meta:
        model = JobWish
        fields: list[str] = []

    def filter_waiting(self, queryset, name, value):
        return wishes_waiting(queryset, value)


class ReferralFilterSet(ListFilterSet):
    date_hierarchy = "referred_on"
    outcome__exact = django_filters.ChoiceFilter(field_name="outcome", choices=Outcome.choices, label=_("outcome"))

    class Meta:
        model = Referral
        fields: list[str] = []


class JobSheetFilterSet(ListFilterSet):
    year = django_filters.NumberFilter(field_name="year", label=_("year"))
    station__id__exact = django_filters.NumberFilter(field_name="station_id", label=_("station"))

    class Meta:
        model = JobSheet
        fields: list[str] = []


class JobFairFilterSet(ListFilterSet):
    date_hierarchy = "held_on"
    kind__exact = django_filters.ChoiceFilter(field_name="kind", choices=FairKind.choices, label=_("kind"))
    online__exact = django_filters.BooleanFilter(field_name="online", label=_("online"))

    class Meta:
        model = JobFair
        fields: list[str] = []


class MinimumWageFilterSet(ListFilterSet):
    class Meta:
        model = MinimumWage
        fields: list[str] = []
