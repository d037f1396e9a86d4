"""The job of a large member export. Thin: it calls the export service."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from membership.services import exports
from unionhub.tasks.jobs import job_task


@job_task(exports.EXPORT_JOB, label=_("member export"), idempotent=True)
def member_export(job, progress) -> dict:
    """Write one export's file; a second delivery of the message is refused by the job's status guard."""
    return exports.member_export_run(export_id=job.target_id, progress=progress)
