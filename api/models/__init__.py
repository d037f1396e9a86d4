"""Models of api; the package imports every module."""
