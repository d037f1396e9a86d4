"""Writes of outreach: the only place for its rules."""
