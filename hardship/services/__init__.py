"""Writes of hardship: the only place for its rules."""
