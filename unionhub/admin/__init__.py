"""The core admin: base classes every app's admin inherits (scoping), helpers, jobs, messages, regions and unions."""

from unionhub.admin import base, helpers, jobs, messages, regions  # noqa: F401
