"""Celery jobs for large member rosters: thin wrappers that take the import's id and call the services."""

from __future__ import annotations

from celery import shared_task

from membership.models import RosterImport
from membership.services import roster


@shared_task(acks_late=True, reject_on_worker_lost=True)
def roster_preview_task(import_id: int) -> str:
    """Check a roster. Idempotent (a second run replaces the staging rows of the first), hence ``acks_late``."""
    return roster.roster_preview(roster=RosterImport.objects.get(pk=import_id)).status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def roster_apply_task(import_id: int) -> str:
    """Write a checked roster. Safe to run twice: ``roster_apply`` locks the import row and writes only an
    import that has not been applied yet; a worker lost mid-way rolls its transaction back."""
    return roster.roster_apply(roster=RosterImport.objects.get(pk=import_id)).status
