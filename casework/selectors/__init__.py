"""Reads and figures for casework."""
