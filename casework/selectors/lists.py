"""Casework's lists (``unionhub.lists``): workers' requests and mediation cases, each read as scope and
permission once, then its FilterSet (``casework.filtersets``), then the admin's text search.

``requests_reached`` (``casework.selectors.reach``) is the requests' scoped base: region and station, plus the
requests a union chair or desk officer reaches as handler; ``cases_reached`` the mediation cases'. The admin's
changelists read them, and so do the workbench's counts.
"""

from __future__ import annotations

from django.db.models import QuerySet

from casework.filtersets import MediationCaseFilterSet, RequestFilterSet
from casework.models import MediationCase, WorkerRequest
from casework.selectors.reach import requests_reached
from unionhub.lists import Filters, filtered, require_view
from unionhub.scoping import scope_queryset
from unionhub.search import text_search

REQUEST_SEARCH = ["reference", "employer_name", "name"]
CASE_SEARCH = ["number", "court_case_number", "summary", "parties__name"]

__all__ = ["cases_reached", "mediation_list", "request_list", "requests_reached"]


def request_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    """The requests the user reaches, filtered (``mine`` reads ``user``) and searched by reference, employer or
    name. ``PermissionDenied`` without the view permission on requests."""
    require_view(user, WorkerRequest)
    queryset = filtered(RequestFilterSet, requests_reached(user), filters, user=user)
    return text_search(queryset, search, REQUEST_SEARCH)


def cases_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    """The mediation cases of the desks (stations) the user may see."""
    return scope_queryset(MediationCase.objects.all() if queryset is None else queryset, user)


def mediation_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, MediationCase)
    queryset = filtered(MediationCaseFilterSet, cases_reached(user), filters)
    return text_search(queryset, search, CASE_SEARCH)
