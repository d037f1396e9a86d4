"""The counties side by side, for city and provincial staff: per county, members, applications waiting and past
the promise, stations by status, stations holding a star level, open rectifications, and open and overdue
requests. Each figure is one grouped query over the user's scope (the county is the first six digits of the
row's region code), so the table costs the same few queries for three counties or thirty. Members are read from
the per-county summary rows (one row a county); the other figures count small, indexed sets (pending
applications, open requests, open rectifications) or the stations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from casework.choices import OPEN_STATUSES
from casework.models import WorkerRequest
from membership.choices import ApplicationStatus
from membership.models import MembershipApplication
from membership.models.applications import decision_promise
from membership.selectors.summaries import active_members_by_county
from stations.models import Rectification, Station
from stations.selectors.ratings import with_star_level
from unionhub.models.regions import Region, RegionLevel
from unionhub.scoping import reach_of, scope_queryset

COUNTY_DIGITS = 6


@dataclass
class CountyFigures:
    """One county's row of the table."""

    code: str
    name: str
    members: int = 0
    applications_waiting: int = 0
    applications_overdue: int = 0
    stations: dict[str, int] = field(default_factory=dict)  # status -> count
    starred: int = 0
    rectifications_open: int = 0
    requests_open: int = 0
    requests_overdue: int = 0


def shows_county_figures(user) -> bool:
    """City and provincial staff (and superusers): a reach above a single county."""
    if not user.has_perm("stations.view_station"):
        return False
    reach = reach_of(user)
    return reach.everything or bool(reach.region_code and len(reach.region_code) < COUNTY_DIGITS)


def _by_county(queryset: QuerySet, region_path: str, **aggregates) -> dict[str, dict]:
    rows = (
        queryset.annotate(uh_county=Substr(region_path, 1, COUNTY_DIGITS))
        .values("uh_county")
        .annotate(**aggregates)
        .order_by()
    )
    return {row.pop("uh_county"): row for row in rows}


def county_figures(user, today: dt.date | None = None, now: dt.datetime | None = None) -> list[CountyFigures]:
    """Every county in the user's reach with its figures (zeros for a county with nothing yet), by code.
    Eight queries, whatever the number of counties or rows."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    reach = reach_of(user)
    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    if not reach.everything:
        counties = counties.filter(code__startswith=reach.region_code or "-")
    table = {code: CountyFigures(code, name) for code, name in counties.order_by("code").values_list("code", "name")}

    def scoped(queryset):
        return scope_queryset(queryset, user)

    # Active members from the summary rows the database keeps (membership.models.summaries): never a count of
    # the member table, which at a province's size is a scan of millions of rows.
    members = active_members_by_county(user)
    pending = Q(status=ApplicationStatus.PENDING)
    applications = _by_county(
        scoped(MembershipApplication.objects.filter(pending)),
        "county__code",
        waiting=Count("pk"),
        overdue=Count("pk", filter=Q(submitted_at__lt=now - decision_promise())),
    )
    stations = scoped(Station.objects.all())
    station_rows = (
        Station.objects.filter(pk__in=stations.values("pk"))
        .annotate(uh_county=Substr("region__code", 1, COUNTY_DIGITS))
        .values("uh_county", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    starred = _by_county(
        with_star_level(Station.objects.filter(pk__in=stations.values("pk")), today).filter(
            Q(star_stars__gt=0) & (Q(star_until__isnull=True) | Q(star_until__gte=today))
        ),
        "region__code",
        n=Count("pk"),
    )
    rectifications = _by_county(
        scoped(Rectification.objects.filter(closed_on__isnull=True)), "station__region__code", n=Count("pk")
    )
    requests = _by_county(
        scoped(WorkerRequest.objects.filter(status__in=OPEN_STATUSES)),
        "region__code",
        open=Count("pk"),
        overdue=Count("pk", filter=Q(level_due_on__lt=today)),
    )
    for code, row in table.items():
        row.members = members.get(code, 0)
        row.applications_waiting = applications.get(code, {}).get("waiting", 0)
        row.applications_overdue = applications.get(code, {}).get("overdue", 0)
        row.starred = starred.get(code, {}).get("n", 0)
        row.rectifications_open = rectifications.get(code, {}).get("n", 0)
        row.requests_open = requests.get(code, {}).get("open", 0)
        row.requests_overdue = requests.get(code, {}).get("overdue", 0)
    for station_row in station_rows:
        county = table.get(station_row["uh_county"])
        if county is not None:
            county.stations[station_row["status"]] = station_row["n"]
    return list(table.values())


def county_totals(rows: list[CountyFigures]) -> CountyFigures:
    """The sum of the rows, as a row of its own (the table's last line)."""
    total = CountyFigures("", "")
    for row in rows:
        for name in ("members", "applications_waiting", "applications_overdue", "starred", "rectifications_open"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.requests_open += row.requests_open
        total.requests_overdue += row.requests_overdue
        for status, n in row.stations.items():
            total.stations[status] = total.stations.get(status, 0) + n
    return total
