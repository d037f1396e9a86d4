"""The Celery application.

Reliable delivery, and why each setting is what it is:

* ``task_acks_late`` stays **off** globally: a task is acknowledged when a worker takes it. Tasks that are
  idempotent (they can safely run twice, e.g. a subsidy run that replaces its own proposed allocations) opt in
  with ``acks_late=True`` and ``reject_on_worker_lost=True`` on the task itself, so a worker killed mid-task
  hands the message back to the queue instead of losing it.
* ``worker_prefetch_multiplier = 1``: with late acks a prefetched message is held hostage by a busy worker;
  long jobs (imports, subsidy runs) should spread over the workers instead.
* ``visibility_timeout`` (Redis transport): a message not acknowledged within this time is redelivered. It
  must be longer than the longest ``countdown``/``eta`` we use and the longest task, or Redis would hand the same
  message to a second worker while the first is still working. Twelve hours covers both with room.
* JSON only: tasks take ids and plain values, never pickled objects.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhub.settings")

app = Celery("unionhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=False,
    worker_prefetch_multiplier=1,
    broker_transport_options={"visibility_timeout": 12 * 60 * 60},
    result_expires=24 * 60 * 60,
    broker_connection_retry_on_startup=True,
    task_track_started=True,
    timezone="Asia/Shanghai",
)
app.autodiscover_tasks()
