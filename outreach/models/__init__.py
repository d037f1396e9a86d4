"""Models of outreach; the package imports every module."""
