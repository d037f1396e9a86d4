"""Casework admin; importing the modules registers their ModelAdmins."""

from casework.admin import agreements, calendar, handlers, mediation, referrals, requests  # noqa: F401
