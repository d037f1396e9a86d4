"""Reads about stations: utilisation, inactivity, overdue rectifications. All take a queryset that the
caller has already scoped, so scoping stays in one place."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from stations.models import Activity, Rectification, VisitorCount


def inactive_since(months: int | None = None, today: dt.date | None = None) -> dt.date:
    months = months or settings.STATION_INACTIVE_MONTHS
    return (today or timezone.localdate()) - relativedelta(months=months)


def stations_inactive(stations: QuerySet, months: int | None = None, today: dt.date | None = None) -> QuerySet:
    """Stations with no activity logged for ``months`` months (STATION_INACTIVE_MONTHS by default)."""
    since = inactive_since(months, today)
    recent = Activity.objects.filter(station=OuterRef("pk"), date__gte=since)
    return stations.filter(~Exists(recent))


def stations_with_overdue_rectification(stations: QuerySet, today: dt.date | None = None) -> QuerySet:
    overdue = Rectification.objects.filter(
        station=OuterRef("pk"), closed_on__isnull=True, deadline__lt=today or timezone.localdate()
    )
    return stations.filter(Exists(overdue))


def monthly_utilisation(stations: QuerySet, months: int = 12, today: dt.date | None = None) -> dict:
    """{station_id: {month (date, first day): {"activities": n, "participants": n, "visitors": n}}} for the
    last ``months`` months, in two grouped queries whatever the number of stations."""
    today = today or timezone.localdate()
    start = today.replace(day=1) - relativedelta(months=months - 1)
    result: dict[int, dict[dt.date, dict[str, int]]] = {}

    def cell(station_id, month):
        month = month.date() if isinstance(month, dt.datetime) else month
        return result.setdefault(station_id, {}).setdefault(month, {"activities": 0, "participants": 0, "visitors": 0})

    activity_rows = (
        Activity.objects.filter(station__in=stations, date__gte=start)
        .annotate(month=TruncMonth("date"))
        .values("station_id", "month")
        .annotate(n=Count("pk"), people=Sum("participants"))
    )
    for row in activity_rows:
        entry = cell(row["station_id"], row["month"])
        entry["activities"], entry["participants"] = row["n"], row["people"] or 0
    visitor_rows = (
        VisitorCount.objects.filter(station__in=stations, date__gte=start)
        .annotate(month=TruncMonth("date"))
        .values("station_id", "month")
        .annotate(n=Sum("visitors"))
    )
    for row in visitor_rows:
        cell(row["station_id"], row["month"])["visitors"] = row["n"] or 0
    return result


def month_starts(months: int = 12, today: dt.date | None = None) -> list[dt.date]:
    first = (today or timezone.localdate()).replace(day=1)
    return [first - relativedelta(months=n) for n in range(months - 1, -1, -1)]


def station_counts_by(stations: QuerySet, *fields: str) -> list[dict]:
    return list(stations.values(*fields).annotate(n=Count("pk")).order_by(*fields))


def open_rectifications(stations: QuerySet) -> QuerySet:
    return Rectification.objects.filter(station__in=stations, closed_on__isnull=True).select_related("station")


__all__ = [
    "inactive_since",
    "month_starts",
    "monthly_utilisation",
    "open_rectifications",
    "station_counts_by",
    "stations_inactive",
    "stations_with_overdue_rectification",
]
