"""The member register's and the review queue's filters: one FilterSet per list, read by the list selectors
(``membership.selectors.lists``), so by the background export, and named as the admin changelist's query
parameters (``status__exact``, ``union__id__exact``, ``pool``, ``join_date__year``…), so that a changelist's
query string reads the same rows through them (``unionhub.lists``).

The admin's own list filters (``HoldingPoolFilter``, ``StatusFilter``, ``WaitingFilter``) narrow through the
functions below, so the two never disagree on what a choice means.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.choices import ApplicationStatus, Channel, MemberSource, MemberStatus, Occupation
from membership.models import Member, MembershipApplication
from membership.models.applications import decision_promise
from unionhub.lists import AdminBooleanFilter, ListFilterSet
from unionhub.models.regions import UnionOrganization

POOL_CHOICES = [("yes", _("in the holding pool, to assign")), ("no", _("in a union"))]
APPLICATION_STATUS_ALL = "all"
APPLICATION_STATUS_CHOICES = [*ApplicationStatus.choices, (APPLICATION_STATUS_ALL, _("All"))]
WAITING_CHOICES = [("overdue", _("past the promise")), ("within", _("within the promise"))]


# --- what a choice means (the admin's list filters call these too) ------------------------------------------


def members_in_pool(queryset: QuerySet, value: str | None) -> QuerySet:
    """``yes``: members in a holding-pool union (to assign); ``no``: members in a union; else all."""
    if value == "yes":
        # The pools' ids as literals, not a join: the planner then knows how few members they hold and reads them
        # through the union index, instead of walking the whole register in join-date order.
        pools = UnionOrganization.objects.filter(is_holding_pool=True).values_list("pk", flat=True)
        return queryset.filter(union_id__in=list(pools))
    if value == "no":
        return queryset.filter(union__is_holding_pool=False)
    return queryset


def applications_by_status(queryset: QuerySet, value: str | None) -> QuerySet:
    """The queue's status: pending when none is given (the queue opens on them), every one for ``all``."""
    value = value or ApplicationStatus.PENDING
    return queryset if value == APPLICATION_STATUS_ALL else queryset.filter(status=value)


def applications_waiting(queryset: QuerySet, value: str | None, now: dt.datetime | None = None) -> QuerySet:
    """Pending applications ``overdue`` (past the decision promise) or ``within`` it; else all."""
    if value not in ("overdue", "within"):
        return queryset
    limit = (now or timezone.now()) - decision_promise()
    pending = queryset.filter(status=ApplicationStatus.PENDING)
    return pending.filter(submitted_at__lt=limit) if value == "overdue" else pending.filter(submitted_at__gte=limit)


# --- the FilterSets -----------------------------------------------------------------------------------------


class MemberFilterSet(ListFilterSet):
    """The member list's filters: holding pool, status, source, occupation, union, join date (the date filter's
    range and the date hierarchy)."""

    date_hierarchy = "join_date"

    pool = django_filters.ChoiceFilter(choices=POOL_CHOICES, method="filter_pool", label=_("holding pool"))
    status__exact = django_filters.ChoiceFilter(field_name="status", choices=MemberStatus.choices, label=_("status"))
    source__exact = django_filters.ChoiceFilter(field_name="source", choices=MemberSource.choices, label=_("source"))
    occupation__exact = django_filters.ChoiceFilter(
        field_name="occupation", choices=Occupation.choices, label=_("occupation")
    )
    union__id__exact = django_filters.NumberFilter(field_name="union", label=_("grassroots union"))
    join_date__gte = django_filters.DateFilter(field_name="join_date", lookup_expr="gte", label=_("joined from"))
    join_date__lt = django_filters.DateFilter(field_name="join_date", lookup_expr="lt", label=_("joined before"))

    class Meta:
        model = Member
        fields: list[str] = []

    def filter_pool(self, queryset, name, value):
        return members_in_pool(queryset, value)


class ApplicationFilterSet(ListFilterSet):
    """The review queue's filters: status (pending unless ``all`` or another status is asked for, as the queue
    opens), waiting against the promise, county, channel, occupation, the station whose QR code was scanned, and
    the submission date."""

    date_hierarchy = "submitted_at"

    status = django_filters.ChoiceFilter(choices=APPLICATION_STATUS_CHOICES, method="filter_status", label=_("status"))
    waiting = django_filters.ChoiceFilter(choices=WAITING_CHOICES, method="filter_waiting", label=_("waiting"))
    county__code__exact = django_filters.CharFilter(field_name="county", label=_("county"))
    county__isnull = AdminBooleanFilter(field_name="county", lookup_expr="isnull", label=_("county"))
    channel__exact = django_filters.ChoiceFilter(field_name="channel", choices=Channel.choices, label=_("channel"))
    occupation__exact = django_filters.ChoiceFilter(
        field_name="occupation", choices=Occupation.choices, label=_("occupation")
    )
    source_station__id__exact = django_filters.NumberFilter(field_name="source_station", label=_("QR code of station"))
    source_station__isnull = AdminBooleanFilter(
        field_name="source_station", lookup_expr="isnull", label=_("QR code of station")
    )

    class Meta:
        model = MembershipApplication
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset  # applied in filter_queryset: no value means pending, which a method filter never sees

    def filter_waiting(self, queryset, name, value):
        return applications_waiting(queryset, value)

    def filter_queryset(self, queryset):
        return applications_by_status(super().filter_queryset(queryset), self.form.cleaned_data.get("status"))
