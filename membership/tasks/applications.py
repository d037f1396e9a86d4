"""Celery tasks of applications: decision notices, and bulk decisions as jobs. Thin: they call services."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from membership import services
from membership.models import ReviewBatch
from unionhub.tasks.jobs import job_task


@shared_task(
    name="membership.application_notify",
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=8,
)
def application_notify(application_id: int, backend: str) -> bool:
    """Notify the worker of a decision through one backend. Not ``acks_late``: sending is not idempotent (a
    second SMS), so a message lost with a dying worker is preferred to one sent twice."""
    return services.application_notify(application_id=application_id, backend=backend)


@job_task(services.BATCH_JOB, label=_("bulk review decision"))
def review_batch(job, progress) -> dict:
    """Carry out a bulk review decision (all or nothing; see ``services.review_batch_decide``)."""
    batch = ReviewBatch.objects.select_related("requested_by").get(pk=job.target_id)
    return services.review_batch_decide(batch=batch, progress=progress)
