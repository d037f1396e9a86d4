from stations.models.catalogue import ActivityKind, Facility, Service
from stations.models.logs import Activity, Rectification, VisitorCount
from stations.models.station import Funding, OpeningHours, ServiceTeam, Station, StatusChange
from stations.models.targets import CoverageTarget

__all__ = [
    "Activity",
    "ActivityKind",
    "CoverageTarget",
    "Facility",
    "Funding",
    "OpeningHours",
    "Rectification",
    "Service",
    "ServiceTeam",
    "Station",
    "StatusChange",
    "VisitorCount",
]
