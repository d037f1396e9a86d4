"""Celery tasks of hardship. The package imports every module so a worker registers every task."""

from hardship.tasks import cycles, payments  # noqa: F401
