"""Celery tasks of the dashboard. The package imports every module so a worker registers every task."""

from dashboard.tasks import refresh  # noqa: F401
