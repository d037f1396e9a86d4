"""Scheduled work on the embedded default: a small scheduler thread in the web process.

In production Celery beat reads the django-celery-beat ``PeriodicTask`` rows (the migrations create them: the
job sweep every minute, the casework sweep - escalations and due-soon reminders - every 15 minutes, the nightly
backup, the monthly subsidy runs; staff edit them in the admin) and sends each task when it is due. With no
broker (``make run``: ``JOB_RUNNER=thread``) there is no beat, so the web process runs one thread that reads the
same rows every ``TICK_SECONDS`` and runs each due task the way the job runner runs jobs: in a thread of its
own, with its own database connection. A job kind sent with no job id records a job of its own, exactly as when
beat sends it (``unionhub.tasks.jobs.job_task``).

*When* a row is due is django-celery-beat's own rule (``ModelEntry.is_due``: interval, crontab, solar or clocked
schedule against ``last_run_at``; start time, expiry, one-off), so the embedded default and beat agree. A due
row is claimed with one conditional UPDATE of its ``last_run_at``, so two processes (several gunicorn workers
with ``JOB_RUNNER=thread``) or two ticks never run one occurrence twice. Started once per process
(``scheduler_start``, from ``unionhub.wsgi`` when ``JOB_RUNNER`` is ``thread``); never in tests or management
commands."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections, connections
from django.db.models import F
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import ModelEntry

from unionhub.celery import app

log = logging.getLogger(__name__)

TICK_SECONDS = 10
_started = threading.Event()
_start_lock = threading.Lock()


def periodic_tasks_due() -> list[tuple[PeriodicTask, ModelEntry]]:
    """The enabled rows whose schedule is due now (django-celery-beat's rule), with their entries."""
    due = []
    for task in PeriodicTask.objects.filter(enabled=True).select_related("interval", "crontab", "solar", "clocked"):
        claimed_at = task.last_run_at  # before ModelEntry fills in a default for a row never run
        try:
            entry = ModelEntry(task, app=app)
            is_due, _next = entry.is_due()
        except Exception:  # a row beat could not read either (an unknown schedule): beat logs and skips it
            log.exception("scheduled task %s could not be read", task.name)
            continue
        if is_due and task.enabled:  # is_due may disable an expired or spent one-off row
            task.last_run_at = claimed_at
            due.append((task, entry))
    return due


def periodic_task_claim(task: PeriodicTask, now: dt.datetime) -> bool:
    """Claim this occurrence of ``task``: one conditional UPDATE from the ``last_run_at`` it was read with."""
    rows = PeriodicTask.objects.filter(pk=task.pk)
    rows = (
        rows.filter(last_run_at__isnull=True) if task.last_run_at is None else rows.filter(last_run_at=task.last_run_at)
    )
    return bool(rows.update(last_run_at=now, total_run_count=F("total_run_count") + 1))


def periodic_task_run(name: str, args=(), kwargs=None) -> None:
    """Run one scheduled task here and now: the task beat would have sent (a job kind records its job)."""
    try:
        app.tasks[name].apply(args=list(args), kwargs=dict(kwargs or {}))
    except Exception:
        log.exception("scheduled task %s failed", name)


def _run_and_close(name: str, args, kwargs) -> None:
    try:
        periodic_task_run(name, args, kwargs)
    finally:
        connections.close_all()  # the thread's own connection


def _run_in_thread(name: str, args=(), kwargs=None) -> None:
    threading.Thread(target=_run_and_close, args=(name, args, kwargs), name=f"scheduled-{name}", daemon=True).start()


def schedule_tick(*, run: Callable[..., None] = _run_in_thread) -> list[str]:
    """Claim and start every due scheduled task once; the names started. ``run(name, args, kwargs)`` starts one
    (a thread of its own by default)."""
    started = []
    for task, entry in periodic_tasks_due():
        if task.task not in app.tasks:
            log.warning("scheduled task %s names an unknown task %s", task.name, task.task)
            continue
        if not periodic_task_claim(task, timezone.now()):
            continue  # another process or tick took this occurrence
        run(task.task, entry.args, entry.kwargs)
        started.append(task.task)
    return started


def _loop() -> None:
    while True:
        try:
            close_old_connections()
            schedule_tick()
        except Exception as exc:  # the database restarting (or not migrated yet): try again at the next tick
            log.warning("the embedded scheduler's tick failed: %s", exc)
        finally:
            connections.close_all()
        time.sleep(TICK_SECONDS)


def scheduler_start(loop: Callable[[], None] = _loop) -> bool:
    """Start the scheduler thread, once per process; False when it was already started."""
    with _start_lock:
        if _started.is_set():
            return False
        _started.set()
    threading.Thread(target=loop, name="embedded-beat", daemon=True).start()
    log.info("embedded scheduler started: the scheduled tasks run in this process (no Celery beat)")
    return True
