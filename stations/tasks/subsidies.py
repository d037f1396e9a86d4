"""Celery tasks for stations: subsidy runs as jobs, and the beat task that starts the runs of periods that
just ended. Thin: they call the subsidy services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stations.models import SubsidyRun
from stations.services import subsidies
from unionhub.tasks.jobs import job_task


def _run_failed(job, message: str) -> None:
    subsidies.subsidy_run_job_failed(run_id=job.target_id)


@job_task(subsidies.RUN_JOB, label=_("subsidy run"), on_failure=_run_failed, idempotent=True)
def subsidy_run(job, progress) -> dict:
    """Compute one subsidy run. Idempotent: a run replaces only its own proposed allocations, under a row
    lock, and a unique constraint forbids a second allocation for the same station, period and type."""
    run = subsidies.subsidy_run_compute(run=SubsidyRun.objects.get(pk=job.target_id), progress=progress)
    return {"status": run.status, "allocations": run.allocation_count, "total": str(run.total)}


@job_task("stations.subsidy_runs_due", label=_("subsidy runs of the periods just ended"))
def subsidy_runs_due(job, progress) -> dict:
    """Celery beat (schedule editable in the admin): create and queue the runs of periods that just ended."""
    return {"runs": subsidies.subsidy_runs_due_start()}
