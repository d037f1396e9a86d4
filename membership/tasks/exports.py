"""Celery job for large member exports: a thin wrapper that takes the export's id and calls the service."""

from __future__ import annotations

from celery import shared_task

from membership.models import MemberExport
from membership.services import exports


@shared_task(acks_late=True, reject_on_worker_lost=True)
def member_export_task(export_id: int) -> str:
    """Write one export; progress is saved every few thousand rows. Idempotent (a finished export is left as it
    is, an interrupted one is written again), hence ``acks_late``."""
    export = MemberExport.objects.select_related("requested_by").get(pk=export_id)

    def progress(done: int, total: int) -> None:
        MemberExport.objects.filter(pk=export_id).update(done=done, total=total)

    return exports.member_export_run(export=export, progress=progress).status
