"""Celery tasks of the stations app. The package imports every module so a worker registers every task."""

from stations.tasks.subsidies import (  # noqa: F401
    subsidy_run_compute_task,
    subsidy_runs_due,
)
