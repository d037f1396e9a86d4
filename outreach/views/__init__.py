"""Public and staff views of outreach."""
