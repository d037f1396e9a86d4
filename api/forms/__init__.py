"""Forms of api: the input's shape only."""
