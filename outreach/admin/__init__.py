"""Outreach admin; importing the modules registers their ModelAdmins."""

from outreach.admin import desks, employers, events, projects, teams  # noqa: F401
