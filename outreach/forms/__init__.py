"""Forms of outreach: the input's shape only."""
