"""Writes of employment: the only place for its rules."""
