"""The dashboard's station figures (数据看板): coverage targets against operating stations, stations by kind and
status, a year of activities and visitors, overdue rectification notices, inactive stations and the map.

Every selector takes the user and reaches rows only through :func:`unionhub.scoping.scope_queryset`, so a county
sees its county, a city every county below it, a station manager their stations and a superuser everything.
Each selector runs a fixed number of grouped queries, whatever the number of stations. ``today`` is a
parameter so that tests can pin the calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stations import geo, selectors
from stations.choices import StationKind, StationStatus
from stations.filtersets import stations_by_activity
from stations.models import CoverageTarget, Rectification, Station, StationMonth
from stations.selectors.lists import stations_reached
from unionhub.models.regions import Region, RegionLevel
from unionhub.scoping import reach_of, scope_queryset

MONTHS = 12
OVERDUE_LIST_LIMIT = 50
APPLICATION_DAYS = 30  # the period of the online-application figures


def scoped_stations(user) -> QuerySet:
    """The stations the user may see (the station list's scoped base, ``stations_reached``), as a plain
    ``pk IN (…)`` filter.

    ``scope_queryset`` ORs the region prefix with a join to the station managers and de-duplicates with
    DISTINCT; grouping and counting over that join would count a station once per manager, so the
    aggregates below filter through this subquery instead."""
    return Station.objects.filter(pk__in=stations_reached(user).values("pk"))


def scope_label(user) -> str:
    """What the figures cover, in words: the user's region, "all regions" or "the stations you manage"."""
    reach = reach_of(user)
    if reach.everything:
        return _("All regions")
    if reach.region_code:
        region = Region.objects.filter(code=reach.region_code).select_related("parent").first()
        return region.full_name if region else reach.region_code
    return _("The stations you manage")


# --- Coverage targets ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    """One coverage target and how many stations of its kind are operating inside its region."""

    target_id: int
    region_code: str
    region_name: str
    level: str
    level_label: str
    kind: str
    kind_label: str
    target: int
    operating: int

    @property
    def met(self) -> bool:
        return self.operating >= self.target

    @property
    def percent(self) -> int:
        """Operating as a share of the target, rounded; a target of 0 is met, so 100."""
        return round(self.operating * 100 / self.target) if self.target else 100

    @property
    def bar_percent(self) -> int:
        """The progress bar's width: the percentage capped at 100."""
        return min(self.percent, 100)

    @property
    def is_town(self) -> bool:
        return self.level == RegionLevel.TOWN


def target_years(user, today: dt.date | None = None) -> list[int]:
    """The years to offer in the year selector: every year with a target in scope, and the current year,
    newest first."""
    today = today or timezone.localdate()
    years = set(scope_queryset(CoverageTarget.objects.all(), user).values_list("year", flat=True).distinct())
    return sorted(years | {today.year}, reverse=True)


def coverage_progress(user, year: int) -> list[TargetProgress]:
    """The user's coverage targets for ``year`` (counties, towns, the city - whatever is in scope), each with
    the number of operating stations of its kind whose town code starts with the target's region code.

    Two queries: the targets, and operating stations grouped by town and kind; the prefix matching is done in
    Python over those groups (a county has a few dozen towns)."""
    targets = (
        scope_queryset(CoverageTarget.objects.filter(year=year), user)
        .select_related("region__parent")
        .order_by("region_id", "kind")
    )
    groups = (
        scoped_stations(user)
        .filter(status=StationStatus.OPERATING)
        .values("region_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    operating: dict[str, list[tuple[str, int]]] = {}
    for row in groups:
        operating.setdefault(row["kind"], []).append((row["region_id"], row["n"]))
    rows = []
    for target in targets:
        region = target.region
        count = sum(n for code, n in operating.get(target.kind, []) if code.startswith(region.code))
        rows.append(
            TargetProgress(
                target_id=target.pk,
                region_code=region.code,
                region_name=region.full_name,
                level=region.level,
                level_label=region.get_level_display(),
                kind=target.kind,
                kind_label=target.get_kind_display(),
                target=target.target,
                operating=count,
            )
        )
    return rows


# --- Stations by kind and status ----------------------------------------------------------------------------


def station_status_table(user) -> dict:
    """Stations counted by kind (rows) and status (columns), with row and column totals, in one query.

    Returns ``{"statuses": [(value, label)], "rows": [{"kind", "label", "counts": [n per status], "total"}],
    "totals": [n per status], "total": n}``; every kind and status appears, zeros included."""
    counts = {
        (row["kind"], row["status"]): row["n"]
        for row in scoped_stations(user).values("kind", "status").annotate(n=Count("pk")).order_by()
    }
    statuses = [(value, str(label)) for value, label in StationStatus.choices]
    rows = []
    for kind, label in StationKind.choices:
        cells = [counts.get((kind, status), 0) for status, _label in statuses]
        rows.append({"kind": kind, "label": str(label), "counts": cells, "total": sum(cells)})
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(statuses))]
    return {"statuses": statuses, "rows": rows, "totals": totals, "total": sum(totals)}


# --- Activities and visitors per month ----------------------------------------------------------------------


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def monthly_activity(user, today: dt.date | None = None, months: int = MONTHS) -> list[dict]:
    """Activities held, their participants and visitors counted, per calendar month over the last ``months``
    months (the current month included, oldest first, empty months as zeros). One grouped query over the
    stations' months the database keeps (``stations.StationMonth``), not over the activities and visitor
    counts themselves; no log is dated after today (the forms refuse it), so a month so far is its figures."""
    today = today or timezone.localdate()
    starts = selectors.month_starts(months, today)
    result = {month: {"month": month, "activities": 0, "participants": 0, "visitors": 0} for month in starts}
    rows = (
        StationMonth.objects.filter(station__in=scoped_stations(user), month__gte=starts[0], month__lte=today)
        .values("month")
        .annotate(n=Sum("activities"), people=Sum("participants"), visits=Sum("visitors"))
        .order_by("month")
    )
    for row in rows:
        cell = result[_as_date(row["month"])]
        cell["activities"], cell["participants"], cell["visitors"] = (
            row["n"] or 0,
            row["people"] or 0,
            row["visits"] or 0,
        )
    return [result[month] for month in starts]


# --- Problems: overdue rectifications and inactive stations -------------------------------------------------


def overdue_rectifications(user, today: dt.date | None = None) -> QuerySet:
    """Open rectification notices past their deadline, the longest overdue first, with ``days_overdue``
    computed by :func:`overdue_rows`."""
    today = today or timezone.localdate()
    return (
        Rectification.objects.filter(station__in=scoped_stations(user), closed_on__isnull=True, deadline__lt=today)
        .select_related("station__region__parent")
        .order_by("deadline", "pk")
    )


def overdue_rows(user, today: dt.date | None = None, limit: int = OVERDUE_LIST_LIMIT) -> tuple[int, list[dict]]:
    """(how many notices are overdue, the first ``limit`` of them as rows for the page). Two queries."""
    today = today or timezone.localdate()
    notices = overdue_rectifications(user, today)
    rows = [
        {
            "notice": notice,
            "station": notice.station,
            "town": notice.station.region.full_name,
            "days_overdue": (today - notice.deadline).days,
        }
        for notice in notices[:limit]
    ]
    return notices.count(), rows


def inactive_station_count(user, today: dt.date | None = None) -> int:
    """Operating stations with no activity logged for ``settings.STATION_INACTIVE_MONTHS`` months: the station
    list's ``inactive=yes`` filter (``stations.filtersets.stations_by_activity``, the one definition), which
    the page links to and the workbench counts."""
    return stations_by_activity(scoped_stations(user), "yes", today=today).count()


# --- Map ----------------------------------------------------------------------------------------------------


def _unchanged(lat: float, lng: float) -> tuple[float, float]:
    return lat, lng


def map_converter(crs: str | None = None) -> Callable[[float, float], tuple[float, float]]:
    """The function converting WGS-84 (lat, lng), as stations are stored, to the CRS of the map tiles
    (``settings.MAP_TILE_CRS``): Amap-style tiles are GCJ-02, Baidu's BD-09."""
    crs = crs or settings.MAP_TILE_CRS
    return {geo.GCJ02: geo.wgs84_to_gcj02, geo.BD09: geo.wgs84_to_bd09}.get(crs, _unchanged)


MAP_LIMIT = 500


def station_map(user, limit: int = MAP_LIMIT) -> list[dict]:
    """The user's stations that have not been delisted, by town and code, for the map and the list beside it:
    the first ``limit`` of them (a province has tens of thousands; the station list in the admin has them all,
    and ``station_status_table`` counts them all).

    ``lat``/``lng`` are already converted to the tiles' CRS; they are None for a station with no coordinates
    (listed, but not on the map). One query."""
    rows = (
        scoped_stations(user)
        .exclude(status=StationStatus.DELISTED)
        .values("pk", "code", "name", "kind", "status", "address", "latitude", "longitude", "region__name")
        .order_by("region_id", "code")[:limit]
    )
    change_url = reverse("admin:stations_station_change", args=[0]).replace("/0/", "/{}/")
    kinds, statuses = dict(StationKind.choices), dict(StationStatus.choices)
    convert = map_converter()
    points = []
    for row in rows:
        lat = lng = None
        if row["latitude"] is not None and row["longitude"] is not None:
            lat, lng = convert(float(row["latitude"]), float(row["longitude"]))
            lat, lng = round(lat, 6), round(lng, 6)
        points.append(
            {
                "id": row["pk"],
                "code": row["code"],
                "name": row["name"],
                "town": row["region__name"],
                "address": row["address"],
                "kind": row["kind"],
                "kindLabel": str(kinds.get(row["kind"], row["kind"])),
                "status": row["status"],
                "statusLabel": str(statuses.get(row["status"], row["status"])),
                "lat": lat,
                "lng": lng,
                "url": change_url.format(row["pk"]),
            }
        )
    return points
