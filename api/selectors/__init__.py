"""Reads of api: querysets and figures for pages, exports and the dashboard."""
