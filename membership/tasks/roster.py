"""Jobs for member rosters: the check (preview) and the import. Thin: they call the roster services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from membership.services import roster
from unionhub.tasks.jobs import job_task


def _check_failed(job, message: str) -> None:
    roster.roster_job_failed(roster_id=job.target_id, stage="check", message=message)


def _import_failed(job, message: str) -> None:
    roster.roster_job_failed(roster_id=job.target_id, stage="import", message=message)


@job_task(roster.CHECK_JOB, label=_("member roster check"), on_failure=_check_failed, idempotent=True)
def roster_check(job, progress) -> dict:
    """Check a roster. Idempotent: a second run replaces the staging rows of the first."""
    return roster.roster_check_run(roster_id=job.target_id, progress=progress)


@job_task(roster.IMPORT_JOB, label=_("member roster import"), on_failure=_import_failed)
def roster_import(job, progress) -> dict:
    """Write a checked roster, in one transaction: a worker lost mid-way rolls it back."""
    return roster.roster_import_run(roster_id=job.target_id, user_id=job.created_by_id, progress=progress)
