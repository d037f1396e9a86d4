"""Celery tasks of casework. The package imports every module so a worker registers every task."""

from casework.tasks import notify, sweep  # noqa: F401
