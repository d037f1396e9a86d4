"""Models of hardship; the package imports every module."""
