"""Celery tasks of the core. The package imports every module so a worker registers every task."""

from unionhub.tasks import jobs, messages  # noqa: F401
