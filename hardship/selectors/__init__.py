"""Reads of hardship: querysets and figures for pages, exports and the dashboard."""
