"""The workbench on the admin's home page: rendered into the index's ``admin_index_top`` slot (a page hook,
so the core's index template knows nothing of the apps)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from dashboard.county_table import county_table
from dashboard.selectors.counties import shows_county_figures
from dashboard.selectors.snapshots import snapshot_part
from dashboard.selectors.workbench import workbench_items
from dashboard.services.snapshots import snapshot_ask
from stations.admin.day_log import render_day_log_panel
from stations.choices import StationStatus


def render_workbench(request, **context) -> str:
    if request is None or not request.user.is_authenticated:
        return ""
    items = workbench_items(request.user)
    counties = computed_at = None
    table, total = None, None
    shows_counties = shows_county_figures(request.user)
    if shows_counties:  # from the dashboard's stored figures (the refresh job), never counted on this request
        snapshot = snapshot_ask(user=request.user, year=timezone.localdate().year, language=get_language())
        counties, computed_at = snapshot_part(snapshot, "counties"), snapshot.computed_at
        if counties:
            table, total = county_table(request.user, counties)
    return render_to_string(
        "dashboard/workbench.html",
        {
            "items": items,
            "shows_counties": shows_counties,
            "counties_computed_at": computed_at if counties is not None else None,
            "waiting": sum(1 for item in items if item.count or item.warning),
            "day_log": render_day_log_panel(request),
            "counties": table,
            "county_total": total,
            "station_statuses": StationStatus.labels,
        },
        request=request,
    )
