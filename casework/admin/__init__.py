"""Casework admin; importing the modules registers their ModelAdmins."""

from casework.admin import calendar, mediation, requests  # noqa: F401
