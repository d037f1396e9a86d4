"""Core models: regions, union organisations, user scopes; background jobs; messages."""

from unionhub.models.jobs import (  # noqa: F401
    ACTIVE_STATUSES,
    Heartbeat,
    Job,
    JobStatus,
)
from unionhub.models.messages import (  # noqa: F401
    DELIVERABLE_STATUSES,
    Message,
    MessageChannel,
    MessageStatus,
)
from unionhub.models.regions import (  # noqa: F401
    OrganizationKind,
    Region,
    RegionLevel,
    Role,
    UnionOrganization,
    UserScope,
)
