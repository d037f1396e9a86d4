"""The scheduled sweep that escalates overdue requests and sends due-soon reminders, as a job."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.services.sweep import casework_sweep
from unionhub.tasks.jobs import job_task

SWEEP_JOB = "casework.sweep"


@job_task(SWEEP_JOB, label=_("escalation of overdue requests"))
def casework_sweep_task(job, progress) -> dict:
    """Idempotent: a second run in the same minute finds nothing left to escalate."""
    return casework_sweep()
