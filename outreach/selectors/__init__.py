"""Reads of outreach: querysets and figures for pages, exports and the dashboard."""
