"""Reads for the station manager's day log: the stations they manage and their recent entries."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from stations.models import Activity, ActivityKind, Station, VisitorCount
from unionhub.scoping import scope_queryset


def managed_stations(user) -> QuerySet:
    """The stations that list ``user`` as a manager (and that the user's scope reaches), by code."""
    if user is None or not user.is_authenticated:
        return Station.objects.none()
    return scope_queryset(Station.objects.filter(managers=user), user).order_by("code")


def day_log_kinds(user) -> QuerySet:
    """The activity kinds offered: the built-in catalogue and the entries of the regions above the user's
    stations (a county's own kinds), by their order."""
    codes = managed_stations(user).values_list("region_id", flat=True)
    prefixes = {code[:n] for code in codes for n in (2, 4, 6, 9)}
    return ActivityKind.objects.filter(Q(region__isnull=True) | Q(region_id__in=prefixes)).order_by(
        "sort_order", "name"
    )


def recent_day_logs(user, limit: int = 8) -> list[Activity]:
    """The latest activities of the user's managed stations, with that day's visitor count and the number of
    photos. Two queries whatever ``limit``."""
    visitors = VisitorCount.objects.filter(station=OuterRef("station"), date=OuterRef("date")).values("visitors")[:1]
    return list(
        Activity.objects.filter(station__in=managed_stations(user).values("pk"))
        .select_related("station", "kind")
        .annotate(day_visitors=Subquery(visitors), photo_count=Count("photos"))
        .order_by("-date", "-pk")[:limit]
    )
