"""Core services."""

from unionhub.services.regions import (  # noqa: F401
    DEFAULT_REGION_FILE,
    regions_load,
)
