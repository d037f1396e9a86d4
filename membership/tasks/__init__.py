"""Celery tasks of the membership app. The package imports every module so a worker registers every task."""

from membership.tasks import applications, exports, roster, summaries  # noqa: F401
