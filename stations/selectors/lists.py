"""The stations app's lists (``unionhub.lists``): stations, activities, evaluations and subsidy allocations, each
read as scope and permission once, then its FilterSet (``stations.filtersets``), then a text search.

``<thing>s_reached(user, queryset=None)`` is a list's scoped base: the admin's changelist reads it
(``scoped_base``), and so do the dashboard's figures. ``<thing>_list(*, user, filters=None, search="")`` is the
whole list as the user may read it (``PermissionDenied`` without the model's view permission). Not re-exported by
``stations.selectors``: the FilterSets read the plain selectors, so the package stays importable below them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from stations.filtersets import ActivityFilterSet, AllocationFilterSet, EvaluationFilterSet, StationListFilterSet
from stations.models import Activity, Evaluation, Rectification, Station, SubsidyAllocation, SubsidyRun
from unionhub.lists import Filters, filtered, require_view
from unionhub.scoping import scope_queryset
from unionhub.search import text_search

# Where a typed term is looked for (the admin's search_fields, matched as Django's admin matches them).
STATION_SEARCH = ["code", "name", "address", "host__name"]
ACTIVITY_SEARCH = ["title", "notes", "station__name"]
EVALUATION_SEARCH = ["station__name", "station__code", "inspectors"]
ALLOCATION_SEARCH = ["station__name", "station__code", "breakdown"]


def _reached(model, user, queryset: QuerySet | None) -> QuerySet:
    return scope_queryset(model.objects.all() if queryset is None else queryset, user)


def stations_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    """The stations the user may see: their region's, or the ones they manage."""
    return _reached(Station, user, queryset)


def station_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Station)
    queryset = filtered(StationListFilterSet, stations_reached(user), filters)
    return text_search(queryset, search, STATION_SEARCH)


def activities_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    """The activities of the stations the user may see (the day logs)."""
    return _reached(Activity, user, queryset)


def activity_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Activity)
    queryset = filtered(ActivityFilterSet, activities_reached(user), filters)
    return text_search(queryset, search, ACTIVITY_SEARCH)


def evaluations_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    """The star-rating evaluations of the stations the user may see."""
    return _reached(Evaluation, user, queryset)


def evaluation_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Evaluation)
    queryset = filtered(EvaluationFilterSet, evaluations_reached(user), filters)
    return text_search(queryset, search, EVALUATION_SEARCH)


def allocations_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    """The subsidy allocations of the stations the user may see (read by their county column, see scoping)."""
    return _reached(SubsidyAllocation, user, queryset)


def allocation_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, SubsidyAllocation)
    queryset = filtered(AllocationFilterSet, allocations_reached(user), filters)
    return text_search(queryset, search, ALLOCATION_SEARCH)


def rectifications_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    """The rectification notices of the stations the user may see."""
    return _reached(Rectification, user, queryset)


def subsidy_runs_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    """The subsidy runs of the regions the user may see."""
    return _reached(SubsidyRun, user, queryset)
