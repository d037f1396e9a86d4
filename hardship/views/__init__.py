"""Public and staff views of hardship."""
