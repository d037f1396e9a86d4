"""Casework admin; importing the modules registers their ModelAdmins."""

from casework.admin import calendar, mediation, referrals, requests  # noqa: F401
