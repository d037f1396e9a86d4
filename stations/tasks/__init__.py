"""Celery tasks of the stations app. The package imports every module so a worker registers every task."""

from stations.tasks import subsidies  # noqa: F401
