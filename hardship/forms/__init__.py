"""Forms of hardship: the input's shape only."""
