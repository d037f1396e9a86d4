"""The core admin: base classes every app's admin inherits (scoping), helpers, jobs, regions and unions."""

from unionhub.admin import base, helpers, jobs, regions  # noqa: F401
