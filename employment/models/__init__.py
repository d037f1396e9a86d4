"""Models of employment; the package imports every module."""
