"""Public and staff views of employment."""
