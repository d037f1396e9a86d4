"""Job of hardship's payments: a large bank result file recorded in the background. Thin: it calls the service."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hardship.models import PaymentImport
from hardship.services import payment_results
from unionhub.tasks.jobs import job_task


def _results_failed(job, message: str) -> None:
    payment_results.payment_results_job_failed(import_id=job.target_id)


@job_task(payment_results.RESULTS_JOB, label=_("bank result file"), on_failure=_results_failed, idempotent=True)
def payment_results_apply(job, progress) -> dict:
    """Record a confirmed bank result file: one transaction; a second run finds it recorded and changes nothing."""
    staged = payment_results.payment_results_apply(
        payment_import=PaymentImport.objects.get(pk=job.target_id), user=job.created_by
    )
    return {"paid": staged.paid, "failed": staged.failed, "returned": staged.returned}
