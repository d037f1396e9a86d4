"""Reads of employment: querysets and figures for pages, exports and the dashboard."""
