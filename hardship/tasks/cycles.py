"""Jobs of hardship: a cycle's computation and the yearly re-check. Thin: they call the services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hardship.models import Cycle
from hardship.services import cycles, rechecks
from unionhub.tasks.jobs import job_task


def _cycle_failed(job, message: str) -> None:
    cycles.cycle_job_failed(cycle_id=job.target_id)


@job_task(cycles.CYCLE_JOB, label=_("assistance cycle"), on_failure=_cycle_failed, idempotent=True)
def cycle_compute(job, progress) -> dict:
    """Compute one cycle's entitlements. Idempotent: a second run changes nothing."""
    cycle = cycles.cycle_compute(cycle=Cycle.objects.get(pk=job.target_id), progress=progress)
    return {"entitlements": cycle.entitlement_count, "total": str(cycle.total)}


@job_task(rechecks.RECHECK_JOB, label=_("yearly re-check of households"), idempotent=True)
def rechecks_open(job, progress) -> dict:
    """Celery beat, yearly: open a re-check for every household on file."""
    return {"opened": rechecks.rechecks_open()}


@job_task(rechecks.RECHECK_REMIND_JOB, label=_("re-check reminders"), idempotent=True)
def rechecks_remind(job, progress) -> dict:
    """Celery beat, daily: remind the unions of re-checks due soon and overdue (each once)."""
    return rechecks.rechecks_remind()
