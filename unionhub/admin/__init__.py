"""The core admin: base classes every app's admin inherits (scoping), regions and unions."""

from unionhub.admin import base, regions  # noqa: F401
