"""Station selectors (reads), one module per capability."""

from stations.selectors.ratings import (  # noqa: F401
    ACTIVE,
    rating_flags,
    satisfaction_since,
    star_history,
    stations_due_for_reevaluation,
    stations_low_satisfaction,
    stations_star_expiring,
    stations_with_stars,
    with_star_level,
)
from stations.selectors.registry import (  # noqa: F401
    finder_stations,
    inactive_since,
    month_starts,
    monthly_utilisation,
    open_rectifications,
    public_stations,
    station_counts_by,
    station_hours_summary,
    station_is_open,
    station_week,
    stations_inactive,
    stations_open_at,
    stations_with_overdue_rectification,
)
