"""How every app makes the Celery task of a job kind, and the sweep of stale jobs."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from unionhub.jobkinds import BEAT_HEARTBEAT
from unionhub.services import jobs, media, messages
from unionhub.services.backups import backup_create

logger = logging.getLogger(__name__)


def job_task(name: str, *, label, on_failure=None, idempotent: bool = False):
    """Make ``handler(job, progress) -> dict`` the Celery task ``name`` of a job kind.

    The task takes the job's id and runs it through :func:`unionhub.services.jobs.job_execute` (claimed
    once, progress, failure). Sent by Celery beat it has no id: the scheduled run records a job of its own,
    so every scheduled run leaves its trace, figures and errors like any other job. Late acknowledgement: a
    worker lost before it claimed the job hands the message back; once claimed, a second delivery is
    refused by the status guard and the sweep deals with a lost worker. ``idempotent``: the kind may run
    again from the start after a database restart interrupted it (retried once, by itself)."""

    def decorate(handler):
        def run(job_id: int | None = None) -> dict:
            scheduled = job_id is None
            if scheduled:  # sent by Celery beat: the scheduled run is a job of its own, run here
                job_id = jobs.job_create(kind=name).pk
            job = jobs.job_execute(job_id=job_id, handler=handler)
            if scheduled:
                jobs.heartbeat_record(name=name, result={"job": job_id, "status": job.status if job else "missing"})
            return {"job": job_id, "status": job.status if job else "missing"}

        run.__name__ = handler.__name__
        run.__doc__ = handler.__doc__
        run.__module__ = handler.__module__
        task = shared_task(name=name, acks_late=True, reject_on_worker_lost=True)(run)
        task.handler = handler
        jobs.job_kind_register(name=name, label=label, task=task, on_failure=on_failure, idempotent=idempotent)
        return task

    return decorate


@shared_task(name="unionhub.jobs_sweep")
def jobs_sweep() -> dict:
    """Celery beat: fail jobs whose worker vanished, send again jobs whose message was lost; the same for
    messages (retries that are due, deliveries lost, sending interrupted). Its heartbeat (every minute) is
    how ``/healthz`` knows that beat runs."""
    result = jobs.jobs_sweep()
    try:
        result["messages"] = messages.messages_sweep()
    except Exception:  # the heartbeat below still says that beat runs
        logger.exception("the message sweep failed")
        result["messages"] = "failed"
    jobs.heartbeat_record(name=BEAT_HEARTBEAT, result=result)
    return result


@job_task("unionhub.backup_nightly", label=_("nightly backup"), idempotent=True)
def backup_nightly(job, progress) -> dict:
    """Celery beat, every night: back up the database and the uploaded files, keeping ``BACKUP_KEEP``."""
    return {"files": [str(path) for path in backup_create()]}


@shared_task(name="unionhub.media_orphans_sweep")
def media_orphans_sweep() -> dict:
    """Celery beat, daily: remove uploaded files that no row owns and that are more than a day old (an upload
    that failed or was abandoned after its file was written)."""
    result = media.media_orphans_sweep()
    jobs.heartbeat_record(name="unionhub.media_orphans_sweep", result=result)
    return result
