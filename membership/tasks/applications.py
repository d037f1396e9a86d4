"""Celery tasks: thin wrappers that take ids and call services. Enqueued with ``transaction.on_commit``."""

from __future__ import annotations

from celery import shared_task

from membership import services


@shared_task(autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=30 * 60, max_retries=8)
def application_notify(application_id: int, backend: str) -> bool:
    """Notify the worker of a decision through one backend. Not ``acks_late``: sending is not idempotent (a
    second SMS), so a message lost with a dying worker is preferred to one sent twice."""
    return services.application_notify(application_id=application_id, backend=backend)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def review_batch_run(batch_id: int) -> str:
    """Carry out a bulk review job. Idempotent (see ``services.review_batch_run``), hence ``acks_late``."""
    return services.review_batch_run(batch_id=batch_id).status
