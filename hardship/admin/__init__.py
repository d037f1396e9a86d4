"""hardship admin; importing the modules registers their ModelAdmins."""

from hardship.admin import funds, households, payments, programmes, rechecks  # noqa: F401
