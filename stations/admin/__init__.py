"""The stations admin: registry, ratings, subsidies. Importing the package registers every ModelAdmin."""

from stations.admin import ratings, schemes, stars, subsidies  # noqa: F401
from stations.admin.station_page import MANAGER_EDITABLE  # noqa: F401
from stations.admin.stations import (  # noqa: F401
    ActivityAdmin,
    ActivityKindAdmin,
    CatalogueAdmin,
    CoverageTargetAdmin,
    FacilityAdmin,
    FundingInline,
    InactiveFilter,
    OpeningHoursInline,
    OverdueRectificationFilter,
    RectificationAdmin,
    ServiceAdmin,
    ServiceTeamInline,
    StationAdmin,
    StationLogAdmin,
    StatusChangeInline,
    VisitorCountAdmin,
    can_manage_registry,
)
