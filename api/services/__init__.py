"""Writes of api: the only place for its rules."""
