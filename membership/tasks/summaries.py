"""The repair of the members-per-county figures as a job (also ``manage.py member_counts_repair``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from membership.services.summaries import member_counts_rebuild
from unionhub.tasks.jobs import job_task

REPAIR_JOB = "membership.member_counts_repair"


@job_task(REPAIR_JOB, label=_("recount of members per county"), idempotent=True)
def member_counts_repair(job, progress) -> dict:
    """Recount the figures from the register; a second run finds nothing to repair."""
    return member_counts_rebuild()
