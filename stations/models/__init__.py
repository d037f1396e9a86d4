from stations.models.catalogue import ActivityKind, Facility, Service
from stations.models.logs import Activity, ActivityPhoto, Rectification, VisitorCount
from stations.models.ratings import (
    Evaluation,
    Indicator,
    IndicatorScore,
    PlaqueEvent,
    RatingScheme,
    StarRating,
    StationRating,
)
from stations.models.station import Funding, OpeningHours, ServiceTeam, Station, StatusChange
from stations.models.subsidies import SubsidyAllocation, SubsidyPolicy, SubsidyRate, SubsidyRun
from stations.models.summaries import LastActivity, StationMonth
from stations.models.targets import CoverageTarget

__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityPhoto",
    "CoverageTarget",
    "Facility",
    "Funding",
    "LastActivity",
    "OpeningHours",
    "Rectification",
    "Service",
    "ServiceTeam",
    "Station",
    "StationMonth",
    "StatusChange",
    "VisitorCount",
    # ratings and subsidies
    "Evaluation",
    "Indicator",
    "IndicatorScore",
    "PlaqueEvent",
    "RatingScheme",
    "StarRating",
    "StationRating",
    "SubsidyAllocation",
    "SubsidyPolicy",
    "SubsidyRate",
    "SubsidyRun",
]
