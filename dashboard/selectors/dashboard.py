"""Everything the dashboard page shows, assembled from the station figures (``stations``), the online
applications' figures (membership's selectors) and the scheduled tasks' heartbeats; kept two minutes per
reach."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboard.heartbeats import scheduled_heartbeats
from dashboard.selectors.counties import county_figures, shows_county_figures
from dashboard.selectors.stations import (
    APPLICATION_DAYS,
    coverage_progress,
    inactive_station_count,
    monthly_activity,
    overdue_rows,
    scope_label,
    scoped_stations,
    station_map,
    station_status_table,
    target_years,
)
from hardship.selectors.dashboard import hardship_dashboard
from membership.selectors.applications import application_figures, pending_overdue_count
from stations.choices import StationStatus
from stations.selectors import ratings as rating_selectors
from unionhub import hooks
from unionhub.scoping import reach_of

# --- The page -----------------------------------------------------------------------------------------------


def parse_year(value: str | None, today: dt.date | None = None) -> int:
    """The ``?year=`` parameter as a year between 2000 and 2100; anything else means the current year."""
    today = today or timezone.localdate()
    try:
        year = int(value or "")
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def rating_flags(stations: QuerySet, today: dt.date) -> dict[str, int]:
    """Star-rating flags (expiring stars, due for re-evaluation, low satisfaction) for the scoped stations,
    one count query each. Overdue rectification and inactivity have their own figures above."""
    return {
        "stars_expiring": rating_selectors.stations_star_expiring(stations, today).count(),
        "due_for_reevaluation": rating_selectors.stations_due_for_reevaluation(stations, today).count(),
        "low_satisfaction": rating_selectors.stations_low_satisfaction(stations, today).count(),
    }


def application_section(user, today: dt.date) -> dict | None:
    """Online membership applications of the last 30 days, per county (None for users who may not see the
    review queue): the figures of ``membership.selectors.application_figures`` and the chart's data."""
    if not user.has_perm("membership.view_membershipapplication"):
        return None
    figures = application_figures(user, days=APPLICATION_DAYS, today=today)
    return {
        "figures": figures,
        "overdue_now": pending_overdue_count(user),
        "chart": {
            "labels": [f"{day:%m-%d}" for day in figures.days],
            "data": figures.total.per_day,
            "label": _("Applications submitted"),
        },
    }


def dashboard_data(user, *, year: int | None = None, today: dt.date | None = None) -> dict:
    """Everything the dashboard shows for ``user``, for the targets of ``year`` (the current year by default).

    A fixed number of queries whatever the number of stations. ``charts`` and ``map`` are plain data for
    ``json_script``."""
    today = today or timezone.localdate()
    year = year or today.year
    targets = coverage_progress(user, year)
    table = station_status_table(user)
    months = monthly_activity(user, today)
    overdue_count, overdue = overdue_rows(user, today)
    points = station_map(user)
    operating_index = [value for value, _label in table["statuses"]].index(StationStatus.OPERATING)
    delisted_index = [value for value, _label in table["statuses"]].index(StationStatus.DELISTED)
    listed_total = sum(n for i, n in enumerate(table["totals"]) if i != delisted_index)
    charts = {
        "kinds": {
            "labels": [row["label"] for row in table["rows"]],
            "datasets": [
                {"status": status, "label": label, "data": [row["counts"][i] for row in table["rows"]]}
                for i, (status, label) in enumerate(table["statuses"])
            ],
            "yLabel": _("Stations"),
        },
        "monthly": {
            "labels": [f"{m['month']:%Y-%m}" for m in months],
            "activities": [m["activities"] for m in months],
            "participants": [m["participants"] for m in months],
            "visitors": [m["visitors"] for m in months],
            "activitiesLabel": _("Activities held"),
            "participantsLabel": _("Participants"),
            "visitorsLabel": _("Visitors"),
            "countAxis": _("Activities"),
            "peopleAxis": _("Headcount"),
        },
    }
    map_data = {
        "tileUrl": settings.MAP_TILE_URL,
        "crs": settings.MAP_TILE_CRS,
        "points": [p for p in points if p["lat"] is not None],
        "tilesFailed": _("The base map cannot be loaded (no network?); station positions are still shown."),
        "open": _("Open the station record"),
    }
    applications = application_section(user, today)
    if applications:
        charts["applications"] = applications["chart"]
    hardship = hardship_dashboard(user, year)  # hardship assistance: households by layer and cause, money by quarter
    if hardship:
        charts["hardship"] = hardship["chart"]
    reach = reach_of(user)
    return {
        "heartbeats": scheduled_heartbeats(),
        "scope_label": scope_label(user),
        # Targets are set for regions; a station manager with no region has none to follow.
        "shows_targets": reach.everything or bool(reach.region_code),
        "today": today,
        "year": year,
        "years": target_years(user, today),
        "targets": targets,
        "targets_met": sum(1 for t in targets if t.met),
        "table": table,
        "operating_total": table["totals"][operating_index],
        "months": months,
        "activities_total": sum(m["activities"] for m in months),
        "participants_total": sum(m["participants"] for m in months),
        "visitors_total": sum(m["visitors"] for m in months),
        "overdue_count": overdue_count,
        "overdue": overdue,
        "inactive_count": inactive_station_count(user, today),
        "rating_flags": rating_flags(scoped_stations(user), today),
        "applications": applications,
        "hardship": hardship,
        "inactive_months": settings.STATION_INACTIVE_MONTHS,
        "stations": points,
        "stations_more": max(0, listed_total - len(points)),
        "unmapped_count": (
            sum(1 for p in points if p["lat"] is None)
            if listed_total <= len(points)
            else scoped_stations(user).exclude(status=StationStatus.DELISTED).filter(latitude__isnull=True).count()
        ),
        "charts": charts,
        "map": map_data,
        # The counties side by side, for the workbench of city and province staff (read from the stored figures:
        # seven grouped counts over the province's applications, stations and requests).
        "counties": county_figures(user, today) if shows_county_figures(user) else None,
        # The other apps' dashboard sections (employment's jobs, outreach's targets…), computed here with the rest.
        "sections": hooks.figures_compute("dashboard_sections", user=user, year=year),
    }


DASHBOARD_CACHE_SECONDS = 120


def cached_dashboard_data(user, *, year: int) -> dict:
    """``dashboard_data``, kept for two minutes per reach, year and language: a year of activities over a
    province is a million rows to aggregate, and an overview two minutes old tells staff the same."""
    reach = reach_of(user)
    key = (f"dashboard:{reach.everything}:{reach.region_code}:{reach.user_id}:{year}:{timezone.localdate()}:"
           f"{get_language()}")  # fmt: skip
    data = cache.get(key)
    if data is None:
        data = dashboard_data(user, year=year)
        cache.set(key, data, DASHBOARD_CACHE_SECONDS)
    return data
