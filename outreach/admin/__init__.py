"""Outreach admin; importing the modules registers their ModelAdmins."""

from outreach.admin import desks, employers, events, imports, projects, teams  # noqa: F401
