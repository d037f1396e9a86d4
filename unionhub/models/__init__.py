"""Core models: regions, union organisations, user scopes."""

from unionhub.models.regions import (  # noqa: F401
    OrganizationKind,
    Region,
    RegionLevel,
    Role,
    UnionOrganization,
    UserScope,
)
