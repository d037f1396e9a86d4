"""Outreach's lists' filters, one FilterSet per listable model, named as the admin changelist's query
parameters (read by ``outreach.selectors.lists``)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from outreach.choices import Industry, Measure, Stage, VisitOutcome
from outreach.models import Employer, Event, JoiningDesk, OutreachTeam, ServiceProject, Visit
from unionhub.lists import AdminBooleanFilter, ListFilterSet


class EmployerFilterSet(ListFilterSet):
    stage__exact = django_filters.ChoiceFilter(field_name="stage", choices=Stage.choices, label=_("funnel stage"))
    industry__exact = django_filters.ChoiceFilter(field_name="industry", choices=Industry.choices, label=_("industry"))
    is_platform__exact = AdminBooleanFilter(field_name="is_platform", label=_("platform company"))

    class Meta:
        model = Employer
        fields: list[str] = []


class VisitFilterSet(ListFilterSet):
    date_hierarchy = "visited_on"
    outcome__exact = django_filters.ChoiceFilter(field_name="outcome", choices=VisitOutcome.choices, label=_("outcome"))
    team__id__exact = django_filters.NumberFilter(field_name="team", label=_("outreach team"))

    class Meta:
        model = Visit
        fields: list[str] = []


class TeamFilterSet(ListFilterSet):
    class Meta:
        model = OutreachTeam
        fields: list[str] = []


class EventFilterSet(ListFilterSet):
    date_hierarchy = "starts_at"
    kind__id__exact = django_filters.NumberFilter(field_name="kind", label=_("kind"))
    station__id__exact = django_filters.NumberFilter(field_name="station", label=_("station"))
    cancelled__exact = AdminBooleanFilter(field_name="cancelled", label=_("cancelled"))

    class Meta:
        model = Event
        fields: list[str] = []


class DeskFilterSet(ListFilterSet):
    class Meta:
        model = JoiningDesk
        fields: list[str] = []


class ProjectFilterSet(ListFilterSet):
    year__exact = django_filters.NumberFilter(field_name="year", label=_("year"))
    measure__exact = django_filters.ChoiceFilter(field_name="measure", choices=Measure.choices, label=_("measure"))
    headline__exact = AdminBooleanFilter(field_name="headline", label=_("county headline target"))

    class Meta:
        model = ServiceProject
        fields: list[str] = []
