"""hardship admin; importing the modules registers their ModelAdmins."""

from hardship.admin import funds, households, payments, programmes  # noqa: F401
