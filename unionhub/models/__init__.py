"""Core models: regions, union organisations, user scopes; background jobs."""

from unionhub.models.jobs import (  # noqa: F401
    ACTIVE_STATUSES,
    Heartbeat,
    Job,
    JobStatus,
)
from unionhub.models.regions import (  # noqa: F401
    OrganizationKind,
    Region,
    RegionLevel,
    Role,
    UnionOrganization,
    UserScope,
)
