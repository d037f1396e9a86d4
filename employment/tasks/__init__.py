"""Celery tasks of employment. The package imports every module so a worker registers every task."""
