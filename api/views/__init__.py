"""Public and staff views of api."""
