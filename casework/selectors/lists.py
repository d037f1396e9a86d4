"""Casework's lists (``unionhub.lists``): workers' requests and mediation cases, each read as scope and
permission once, then its FilterSet (``casework.filtersets``), then the admin's text search.

``requests_reached`` (``casework.selectors.reach``) is the requests' scoped base: region and station, plus the
requests a union chair or desk officer reaches as handler; ``cases_reached`` the mediation cases'. The admin's
changelists read them, and so do the workbench's counts.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework.filtersets import MediationCaseFilterSet, RequestFilterSet
from casework.models import MediationCase, WorkerRequest
from casework.selectors.reach import requests_reached
from unionhub.lists import Filters, filtered, require_view
from unionhub.personal import as_mobile
from unionhub.scoping import scope_queryset
from unionhub.search import number_condition, text_search

REQUEST_SEARCH = ["reference", "employer_name", "name"]
# A worker's mobile, whole or its last four as a caller reads them out ("尾号1813"): unindexed on purpose - a
# county's requests are thousands, and the escalation sweep rewrites every index of the rows it moves.
REQUEST_EXACT_SEARCH = [("mobile", as_mobile)]
REQUEST_TAIL_SEARCH = ["mobile"]
REQUEST_SEARCH_PLACEHOLDER = _("Reference number, name, employer, mobile or its last 4 digits")
REQUEST_SEARCH_HELP = _(
    "4 digits (or 尾号1813) find the mobiles ending in them; part of a name or an employer is enough. What you "
    "search for stays out of the address bar and the logs."
)
CASE_SEARCH = ["number", "court_case_number", "summary", "parties__name"]

__all__ = ["cases_reached", "mediation_list", "request_list", "request_search", "requests_reached"]


def request_search(queryset: QuerySet, term: str) -> QuerySet:
    """A mobile (whole, or its last four) by the number; any other term by reference, employer or name."""
    condition = number_condition(term, exact=REQUEST_EXACT_SEARCH, tail=REQUEST_TAIL_SEARCH)
    return queryset.filter(condition) if condition is not None else text_search(queryset, term, REQUEST_SEARCH)


def request_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    """The requests the user reaches, filtered (``mine`` reads ``user``) and searched by reference, employer,
    name or mobile (its last four too). ``PermissionDenied`` without the view permission on requests."""
    require_view(user, WorkerRequest)
    queryset = filtered(RequestFilterSet, requests_reached(user), filters, user=user)
    return request_search(queryset, search) if (search or "").strip() else queryset


def cases_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    """The mediation cases of the desks (stations) the user may see."""
    return scope_queryset(MediationCase.objects.all() if queryset is None else queryset, user)


def mediation_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, MediationCase)
    queryset = filtered(MediationCaseFilterSet, cases_reached(user), filters)
    return text_search(queryset, search, CASE_SEARCH)
