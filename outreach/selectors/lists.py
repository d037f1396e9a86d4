"""Outreach's lists (``unionhub.lists``): each read as permission and scope once, then its FilterSet, then the
admin's text search. The ``*_reached`` functions are the scoped bases the admin's changelists read."""

from __future__ import annotations

from django.db.models import QuerySet

from outreach.filtersets import (
    DeskFilterSet,
    EmployerFilterSet,
    EventFilterSet,
    ProjectFilterSet,
    TeamFilterSet,
    VisitFilterSet,
)
from outreach.models import Employer, Event, JoiningDesk, OutreachTeam, ServiceProject, Visit
from unionhub.lists import Filters, filtered, require_view
from unionhub.scoping import scope_queryset
from unionhub.search import text_search

EMPLOYER_SEARCH = ["credit_code", "name"]


def _reached(model):
    def reached(user, queryset: QuerySet | None = None) -> QuerySet:
        return scope_queryset(model.objects.all() if queryset is None else queryset, user)

    reached.__name__ = f"{model._meta.model_name}s_reached"
    return reached


employers_reached = _reached(Employer)
visits_reached = _reached(Visit)
teams_reached = _reached(OutreachTeam)
events_reached = _reached(Event)
desks_reached = _reached(JoiningDesk)
projects_reached = _reached(ServiceProject)


def employer_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Employer)
    queryset = filtered(EmployerFilterSet, employers_reached(user), filters)
    return text_search(queryset, search, EMPLOYER_SEARCH)


def visit_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Visit)
    queryset = filtered(VisitFilterSet, visits_reached(user), filters)
    return text_search(queryset, search, ["employer__name", "met", "visitors"])


def team_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, OutreachTeam)
    return text_search(filtered(TeamFilterSet, teams_reached(user), filters), search, ["name"])


def event_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Event)
    return text_search(filtered(EventFilterSet, events_reached(user), filters), search, ["title", "place"])


def desk_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, JoiningDesk)
    return text_search(filtered(DeskFilterSet, desks_reached(user), filters), search, ["name", "code", "place"])


def project_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, ServiceProject)
    return text_search(filtered(ProjectFilterSet, projects_reached(user), filters), search, ["title", "owner"])
