"""Reads about stations: utilisation, inactivity, overdue rectifications. All take a queryset that the
caller has already scoped, so scoping stays in one place."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, QuerySet, Sum, Value
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from stations import geo
from stations.choices import WEEKDAYS, StationStatus
from stations.models import Activity, LastActivity, Rectification, Station, VisitorCount


def station_is_open(station: Station, moment: dt.datetime) -> bool:
    """Whether the station is open at an aware moment (local time). Uses prefetched opening hours when
    present. A period ending at 00:00 runs to midnight, so an overnight opening (Fri 18:00-00:00 plus
    Sat 00:00-02:00) is open at Sat 01:00."""
    if station.open_24h:
        return True
    local = timezone.localtime(moment)
    weekday, clock = local.weekday(), local.time()
    return any(p.weekday == weekday and p.contains(clock) for p in station.opening_hours.all())


def inactive_since(months: int | None = None, today: dt.date | None = None) -> dt.date:
    months = months or settings.STATION_INACTIVE_MONTHS
    return (today or timezone.localdate()) - relativedelta(months=months)


def stations_inactive(stations: QuerySet, months: int | None = None, today: dt.date | None = None) -> QuerySet:
    """Stations with no activity logged for ``months`` months (STATION_INACTIVE_MONTHS by default): read from
    each station's latest activity date, which the database keeps (``LastActivity``), not from the activities
    (a province's are ten million rows)."""
    since = inactive_since(months, today)
    recent = LastActivity.objects.filter(station_id=OuterRef("pk"), date__gte=since)
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


# --- The public finder -----------------------------------------------------------------------------------------
# Public pages show stations of every region (it is public information), so they do not scope by user; instead
# every public page starts from `public_stations()`, the one place that says which stations the public sees.


def public_stations() -> QuerySet:
    """The stations the public finder, station pages, posters and GeoJSON show: operating ones, of every region.

    Only ``operating``: a station under rectification (``rectifying``) has been found wanting and may be
    closed or without its facilities, so we do not send workers there; planned, building and delisted stations
    do not receive anyone. Opening hours, facilities and services are prefetched (the list shows them and "open
    now" is judged in Python), and the town and county are joined."""
    return (
        Station.objects.filter(status=StationStatus.OPERATING)
        .select_related("region", "region__parent")
        .prefetch_related("opening_hours", "facilities", "services")
    )


def stations_open_at(stations: QuerySet, moment: dt.datetime) -> QuerySet:
    """Those of ``stations`` open at an aware ``moment``, by ``station_is_open`` (24-hour stations are
    always open; a period ending at 00:00 runs to midnight).

    Judged in Python over the prefetched opening hours: a county has hundreds of stations, not millions, and
    the rule then lives in one place. Returns a queryset, so that further filters still apply."""
    candidates = stations.prefetch_related(None).prefetch_related("opening_hours")  # only the hours are needed
    open_ids = [station.pk for station in candidates if station_is_open(station, moment)]
    return stations.filter(pk__in=open_ids)


def nearest_first(stations: QuerySet, origin: tuple[float, float]) -> QuerySet:
    """``stations`` ordered by distance from ``origin`` (WGS-84 lat, lng) in SQL, so that a page of the nearest
    can be cut with LIMIT: an equirectangular distance (exact enough to rank within a province; the page is
    re-sorted by haversine in ``finder_stations``). Stations with no coordinates last."""
    lat, lng = origin
    scale = math.cos(math.radians(lat))
    dlat = Cast("latitude", FloatField()) - Value(lat)
    dlng = (Cast("longitude", FloatField()) - Value(lng)) * Value(scale)
    return stations.annotate(distance_rank=ExpressionWrapper(dlat * dlat + dlng * dlng, FloatField())).order_by(
        F("distance_rank").asc(nulls_last=True), "region_id", "code"
    )


FIRST_BOX_DEGREES = 0.05  # half the side of the first box around the phone: about 5.5 km of latitude


def nearest_slice(stations: QuerySet, origin: tuple[float, float], start: int, stop: int) -> list[Station]:
    """Rows ``start:stop`` of ``nearest_first(stations, origin)``, reading only a box around the origin.

    The box (``station_position``, an index on the operating stations' coordinates) starts about 5.5 km wide
    each way and grows fourfold until the rows it holds are provably the nearest: when the last row wanted lies
    within the box's half side ``r`` (``distance_rank <= r²``), every station outside, whose rank is above
    ``r²``, comes after it. A phone among stations reads a few hundred index entries whatever the province's
    size; one far from all of them ends on the whole list, as before. Ids first (no prefetching per box), then
    the rows."""
    lat, lng = origin
    scale = max(math.cos(math.radians(lat)), 0.01)
    ordered = nearest_first(stations, origin)
    wanted, found = stop - start, None
    radius = FIRST_BOX_DEGREES
    while radius <= 30:
        box = ordered.filter(
            latitude__range=(_degrees(lat - radius), _degrees(lat + radius)),
            longitude__range=(_degrees(lng - radius / scale), _degrees(lng + radius / scale)),
        )
        rows = list(box.values_list("pk", "distance_rank")[start:stop])
        if len(rows) == wanted and rows[-1][1] <= radius * radius:
            found = [pk for pk, _rank in rows]
            break
        radius *= 4
    if found is None:
        return list(ordered[start:stop])
    by_pk = stations.in_bulk(found)
    return [by_pk[pk] for pk in found]


def _degrees(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def finder_stations(stations, *, moment: dt.datetime, origin: tuple[float, float] | None = None) -> list[Station]:
    """The stations as the finder lists them, each with ``is_open_now`` and ``distance_m`` set.

    With an ``origin`` (WGS-84 lat, lng), nearest first, ``distance_m`` in metres by haversine; stations with
    no coordinates follow, in their usual order, with ``distance_m`` None. Without one, the queryset's order."""
    result = list(stations)
    for station in result:
        station.is_open_now = station_is_open(station, moment)
        station.distance_m = None
        if origin is not None and station.coordinates is not None:
            station.distance_m = geo.distance_m(*origin, *station.coordinates)
    if origin is not None:
        # sort() is stable: stations without coordinates keep their order at the end.
        result.sort(key=lambda s: (s.distance_m is None, s.distance_m or 0.0))
    return result


def _clock(value: dt.time, *, closing: bool = False) -> str:
    return "24:00" if closing and value == dt.time(0, 0) else f"{value:%H:%M}"


def _periods_text(periods) -> list[str]:
    return [f"{_clock(p.opens)}–{_clock(p.closes, closing=True)}" for p in sorted(periods, key=lambda p: p.opens)]


def station_week(station: Station, *, moment: dt.datetime) -> list[dict]:
    """Monday to Sunday: ``{"weekday", "label", "periods": ["08:30–12:00", …], "is_today"}``, from the
    prefetched opening hours. A period ending at midnight reads "…–24:00". ``periods`` is empty on a closed day
    (and for a 24-hour station, whose hours are not listed)."""
    today = timezone.localtime(moment).weekday()
    by_day: dict[int, list] = {}
    for period in station.opening_hours.all():
        by_day.setdefault(period.weekday, []).append(period)
    return [
        {"weekday": day, "label": label, "periods": _periods_text(by_day.get(day, [])), "is_today": day == today}
        for day, label in WEEKDAYS
    ]


def station_hours_summary(station: Station) -> list[dict]:
    """The week in a few lines for a poster: runs of consecutive days with the same hours, as
    ``{"days": "Monday to Friday", "periods": ["08:30–20:00"]}`` (``periods`` empty when closed)."""
    week = station_week(station, moment=timezone.now())
    runs: list[list[dict]] = []
    for day in week:
        if runs and runs[-1][-1]["periods"] == day["periods"]:
            runs[-1].append(day)
        else:
            runs.append([day])
    summary = []
    for run in runs:
        first, last = run[0]["label"], run[-1]["label"]
        if len(run) == 7:
            days = gettext("Every day")
        elif len(run) == 1:
            days = str(first)
        elif len(run) == 2:
            days = gettext("%(first)s and %(last)s") % {"first": first, "last": last}
        else:
            days = gettext("%(first)s to %(last)s") % {"first": first, "last": last}
        summary.append({"days": days, "periods": run[0]["periods"]})
    return summary


__all__ += [
    "finder_stations",
    "public_stations",
    "station_hours_summary",
    "station_week",
    "stations_open_at",
]


def managed_station_name(user) -> str:
    """The station a manager runs (the first, by name), for ``unionhub.people``: "李明（嘉峰镇驿站）"."""
    return Station.objects.filter(managers=user).order_by("name").values_list("name", flat=True).first() or ""
