"""The registry of job kinds: what each kind of background work is called and which Celery task does it.

Below the models and the services (it imports nothing of the project), so that the ``Job`` model reads a
kind's label and the job services find a kind's task without importing each other. Each app fills it when
Django starts: its ``AppConfig.ready`` imports its ``tasks`` package, whose ``job_task`` decorators register
the kinds (``unionhub.tasks.jobs.job_task``). Every process that sets Django up - web, worker, beat, a
management command, a test - therefore knows every kind before it runs anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    task: object  # the Celery task
    on_failure: Callable[..., None] | None = None  # (job, message): puts the job's target back
    # Safe to run again from the start after an interruption (its writes are one transaction that replaces
    # its own earlier result): a job interrupted by a database restart is then retried once by itself.
    idempotent: bool = False


JOB_KINDS: dict[str, JobKind] = {}

# The heartbeat the job sweep leaves at every run (``unionhub.tasks.jobs.jobs_sweep``): how ``/healthz`` and the
# dashboard know that beat runs.
BEAT_HEARTBEAT = "unionhub.jobs_sweep"


def job_kind_register(*, name: str, label, task, on_failure=None, idempotent: bool = False) -> None:
    JOB_KINDS[name] = JobKind(name=name, label=label, task=task, on_failure=on_failure, idempotent=idempotent)


def job_kind(name: str) -> JobKind:
    """The registered kind (KeyError for a name no app registered)."""
    return JOB_KINDS[name]


def job_kind_label(kind: str):
    known = JOB_KINDS.get(kind)
    return known.label if known is not None else gettext_lazy("other work")
