"""Hardship's lists (``unionhub.lists``): households, cycles, entitlements and re-checks, each read as
permission and scope once, then its FilterSet, then the search."""

from __future__ import annotations

from django.db.models import QuerySet

from hardship.filtersets import CycleFilterSet, EntitlementFilterSet, HouseholdFilterSet, RecheckFilterSet
from hardship.models import Cycle, Entitlement, Household, Recheck
from unionhub.lists import Filters, filtered, require_view
from unionhub.scoping import scope_queryset
from unionhub.search import text_search

HOUSEHOLD_SEARCH = ["head_name", "employer"]


def households_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    return scope_queryset(Household.objects.all() if queryset is None else queryset, user)


def household_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Household)
    queryset = filtered(HouseholdFilterSet, households_reached(user), filters)
    return text_search(queryset, search, HOUSEHOLD_SEARCH)


def cycles_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    return scope_queryset(Cycle.objects.all() if queryset is None else queryset, user)


def cycle_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Cycle)
    queryset = filtered(CycleFilterSet, cycles_reached(user), filters)
    return text_search(queryset, search, ["name", "programme__name"])


def entitlements_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    return scope_queryset(Entitlement.objects.all() if queryset is None else queryset, user)


def entitlement_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Entitlement)
    queryset = filtered(EntitlementFilterSet, entitlements_reached(user), filters)
    return text_search(queryset, search, ["household__head_name"])


def rechecks_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    return scope_queryset(Recheck.objects.all() if queryset is None else queryset, user)


def recheck_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Recheck)
    queryset = filtered(RecheckFilterSet, rechecks_reached(user), filters)
    return text_search(queryset, search, ["household__head_name"])
