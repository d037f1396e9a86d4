"""Forms of employment: the input's shape only."""
