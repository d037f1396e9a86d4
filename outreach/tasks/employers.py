"""Jobs for employer lists: the check (preview) and the write. Thin: they call the import services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from outreach.services import employer_import
from unionhub.tasks.jobs import job_task


def _check_failed(job, message: str) -> None:
    employer_import.employer_list_failed(batch_id=job.target_id, stage="check", message=message)


def _import_failed(job, message: str) -> None:
    employer_import.employer_list_failed(batch_id=job.target_id, stage="import", message=message)


@job_task(employer_import.CHECK_JOB, label=_("employer list check"), on_failure=_check_failed, idempotent=True)
def employer_list_check(job, progress) -> dict:
    """Check an employer list. Idempotent: a second run replaces the staging rows of the first."""
    return employer_import.employer_list_check_run(batch_id=job.target_id, progress=progress)


@job_task(employer_import.IMPORT_JOB, label=_("employer list import"), on_failure=_import_failed)
def employer_list_import(job, progress) -> dict:
    """Write a checked employer list, in one transaction: a worker lost mid-way rolls it back."""
    return employer_import.employer_list_import_run(
        batch_id=job.target_id, user_id=job.created_by_id, progress=progress
    )
