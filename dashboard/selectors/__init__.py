"""Dashboard reads over the domain apps' selectors: the dashboard page's figures, the workbench, the counties
side by side."""

from dashboard.selectors.dashboard import (  # noqa: F401
    DASHBOARD_CACHE_SECONDS,
    application_section,
    cached_dashboard_data,
    dashboard_data,
    parse_year,
    rating_flags,
)
from dashboard.selectors.stations import (  # noqa: F401
    TargetProgress,
    coverage_progress,
    inactive_station_count,
    monthly_activity,
    overdue_rectifications,
    overdue_rows,
    scope_label,
    scoped_stations,
    station_map,
    station_status_table,
    target_years,
)
