"""Celery tasks for stations: thin wrappers that take ids, load objects and call services.

``subsidy_run_compute_task`` is idempotent (a run replaces only its own proposed allocations, under a row lock,
and a unique constraint forbids a second allocation for the same station, period and type), so it opts in to
late acknowledgement: a worker lost mid-run hands the message back and the run is simply computed again.
See ``unionhub/celery.py`` for why this is not the global default."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from stations.models import SubsidyRun
from stations.services import subsidies

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def subsidy_run_compute_task(run_id: int) -> dict:
    """Compute one subsidy run; progress and failures are stored on the run for the admin to show."""
    run = SubsidyRun.objects.filter(pk=run_id).first()
    if run is None:
        log.warning("subsidy run %s no longer exists", run_id)
        return {"run": run_id, "status": "missing"}
    try:
        run = subsidies.subsidy_run_compute(run=run)
    except ValidationError as exc:
        # A refusal (approved meanwhile, no policy any more) is an outcome, not a reason to retry.
        log.warning("subsidy run %s refused: %s", run_id, "; ".join(exc.messages))
        return {"run": run_id, "status": "refused", "error": "; ".join(exc.messages)}
    return {"run": run.pk, "status": run.status, "allocations": run.allocation_count, "total": str(run.total)}


@shared_task
def subsidy_runs_due() -> list[int]:
    """Celery beat (schedule editable in the admin): create and queue the runs of periods that just ended."""
    ids = []
    for run in subsidies.subsidy_runs_due():
        subsidy_run_compute_task.delay(run.pk)
        ids.append(run.pk)
    return ids
