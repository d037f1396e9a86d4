"""Celery tasks of outreach. The package imports every module so a worker registers every task."""

from outreach.tasks import employers  # noqa: F401
