"""Celery tasks of the membership app. The package imports every module so a worker registers every task."""

from membership.tasks import applications, roster  # noqa: F401
