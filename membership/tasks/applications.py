"""Celery tasks of applications: bulk decisions as jobs (decision notices are the messages core's). Thin: they
call services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from membership import services
from membership.models import ReviewBatch
from unionhub.tasks.jobs import job_task


@job_task(services.BATCH_JOB, label=_("bulk review decision"))
def review_batch(job, progress) -> dict:
    """Carry out a bulk review decision (all or nothing; see ``services.review_batch_decide``)."""
    batch = ReviewBatch.objects.select_related("requested_by").get(pk=job.target_id)
    return services.review_batch_decide(batch=batch, progress=progress)
