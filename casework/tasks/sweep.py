"""The beat task that escalates overdue requests and sends due-soon reminders."""

from __future__ import annotations

from celery import shared_task

from casework.services.sweep import casework_sweep


@shared_task(acks_late=True, reject_on_worker_lost=True)
def casework_sweep_task() -> dict:
    """Idempotent: a second run in the same minute finds nothing left to escalate."""
    return casework_sweep()
