"""The one job mechanism: create and enqueue a job, run it once, report its progress, fail it cleanly.

Every long-running operation of every app is a :class:`~unionhub.models.Job` carried out by a Celery task
made with :func:`unionhub.tasks.jobs.job_task`, which registers the kind in :mod:`unionhub.jobkinds` when
Django starts (each app's ``AppConfig.ready`` imports its tasks). The rules, in one place:

* A job is enqueued only after the transaction that created it commits (``transaction.on_commit``), so a
  worker never looks for a job that is not there yet.
* Only a queued job is started: claiming it is one conditional UPDATE, so a message delivered twice (a
  retry, a redelivery after a lost worker, a double click) does the work once. A job that is running, done
  or failed is never run again; starting the work again is a new job.
* Progress goes to the cache at once (visible while the work's own transaction is open) and to the row at
  most every few seconds when no transaction is open; the row gets the final figures when the job ends.
* A job whose worker vanished (no sign of life for ``JOB_STALE_SECONDS``) is failed by the sweep, with a
  message in Chinese, and its kind's ``on_failure`` puts the object it worked on back where the user can
  start again. A queued job whose message never reached a worker (the broker was down) is sent again.
* Sending a job never holds a request: one attempt, with a one-second connection timeout; with the broker
  down the job waits in the database as queued and the sweep sends it once the broker is back.
* A job whose database went away under it (a PostgreSQL restart) is settled on a fresh connection, waiting
  for the database to come back (``JOB_DATABASE_WAIT_SECONDS``): a kind that is safe to repeat
  (``idempotent``) is queued again once, by itself; any other, or a second interruption, ends failed at once
  with a message that says the database restarted - never left running for the sweep to blame the worker.
* One job of a kind per target at a time: starting it again while one is queued or running is refused.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.celery import app
from unionhub.jobkinds import JOB_KINDS, JobKind, job_kind, job_kind_label, job_kind_register  # noqa: F401
from unionhub.models.jobs import Heartbeat, Job, JobStatus
from unionhub.scoping import reach_of

log = logging.getLogger(__name__)

PROGRESS_CACHE_SECONDS = 24 * 60 * 60
STORE_EVERY_SECONDS = 2.0
# Sending a job to the broker: one attempt, connect within this, never the broker's retries in a request.
SEND_TIMEOUT_SECONDS = 1.0
# The errors of a lost database connection (PostgreSQL restarted, the server went away).
CONNECTION_LOST = (OperationalError, InterfaceError)
RETRIED_KEY = "retried_after"


class JobAlreadyActive(ValidationError):
    """A job of this kind on this target is already queued or running."""


def task_send(name: str, *args) -> None:
    """Send a plain Celery task by name (services do not import tasks modules: tasks sit above services;
    every app's tasks are registered when Django starts, see ``unionhub.jobkinds``)."""
    app.tasks[name].delay(*args)


def job_create(*, kind: str, user=None, target=None, total: int = 0, stage: str = "") -> Job:
    """A queued job of ``kind`` on ``target``, scoped to the region of the user who starts it."""
    region = reach_of(user).region_code if user is not None else None
    job = Job(
        kind=kind,
        created_by=user if user is not None and user.pk else None,
        region_id=region or None,
        total=total,
        stage=stage,
    )
    if target is not None:
        job.target_type = ContentType.objects.get_for_model(type(target))
        job.target_id = target.pk
    job.save()
    return job


def job_enqueue(*, job: Job) -> Job:
    """Send the job to a worker once the current transaction commits."""
    kind = job_kind(job.kind)
    transaction.on_commit(lambda: _send(kind, job.pk))
    return job


def _send(kind: JobKind, job_id: int) -> None:
    if settings.JOB_RUNNER == "thread":
        threading.Thread(target=_run_in_thread, args=(kind, job_id), name=f"job-{job_id}", daemon=True).start()
        return
    try:
        # One attempt within a second: the broker's own retries (and the result backend's) would hold the
        # request for 20 s while Redis is down. The job's record is the database, so no result is kept.
        options = {"max_retries": 0, "socket_connect_timeout": SEND_TIMEOUT_SECONDS}
        options["socket_timeout"] = SEND_TIMEOUT_SECONDS
        with app.connection_for_write(transport_options=options, connect_timeout=SEND_TIMEOUT_SECONDS) as conn:
            kind.task.apply_async(args=[job_id], connection=conn, retry=False, ignore_result=True)
    except Exception:  # the broker is down: the sweep sends queued jobs again once it is back
        log.warning("job %s (%s) could not be sent; the sweep will send it again", job_id, kind.name)


def _run_in_thread(kind: JobKind, job_id: int) -> None:
    """The embedded default's worker: the same task, in a thread of the web process, with its own
    database connection (closed when done)."""
    try:
        kind.task.apply(args=[job_id])
    finally:
        connections.close_all()


def job_start(*, kind: str, user=None, target=None, total: int = 0) -> Job:
    """Create a job, record it as the target's latest, and enqueue it (``job_enqueue``). Refused
    (``JobAlreadyActive``) while a job of the same kind on the same target is queued or running: three
    clicks start one job. The target's row is locked while this is decided, so two requests at once cannot
    both start one."""
    with transaction.atomic():
        if target is not None:
            list(type(target)._default_manager.select_for_update().filter(pk=target.pk).values_list("pk", flat=True))
            active = job_active_for(target, kind=kind)
            if active is not None:
                raise JobAlreadyActive(
                    _("This work is already %(status)s (job #%(job)s); wait for it to finish.")
                    % {"status": active.get_status_display(), "job": active.pk},
                    code="job_active",
                )
        job = job_create(kind=kind, user=user, target=target, total=total)
        if target is not None and any(f.name == "job" for f in type(target)._meta.fields):
            type(target)._default_manager.filter(pk=target.pk).update(job=job)  # the target's latest job
        return job_enqueue(job=job)


def job_active_for(target, *, kind: str) -> Job | None:
    """The queued or running job of ``kind`` on ``target``, if any."""
    return (
        Job.objects.filter(
            target_type=ContentType.objects.get_for_model(type(target)),
            target_id=target.pk,
            kind=kind,
            status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        )
        .order_by("pk")
        .first()
    )


def job_for(target, *, kind: str | None = None) -> Job | None:
    """The latest job on ``target`` (of ``kind``)."""
    jobs = Job.objects.filter(target_type=ContentType.objects.get_for_model(type(target)), target_id=target.pk)
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs.order_by("-created_at", "-pk").first()


class Progress:
    """Handed to a job's handler: ``progress(done, total=None, stage=None)``."""

    def __init__(self, job: Job):
        self.job = job
        self.done, self.total, self.stage = job.done, job.total, job.stage
        self._stored = 0.0

    def __call__(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if stage is not None:
            self.stage = str(stage)[:200]
        now = time.time()
        cache.set(self.job.progress_key, (self.done, self.total, self.stage, now), PROGRESS_CACHE_SECONDS)
        if not connection.in_atomic_block and now - self._stored >= STORE_EVERY_SECONDS:
            self._stored = now
            Job.objects.filter(pk=self.job.pk).update(
                done=self.done, total=self.total, stage=self.stage, heartbeat_at=timezone.now()
            )


def job_execute(*, job_id: int, handler: Callable[[Job, Progress], dict | None]) -> Job | None:
    """Claim a queued job and run ``handler(job, progress)``; the job ends done (with the handler's result)
    or failed (with its message). A job that is not queued is left as it is and returned."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    job = Job.objects.filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    progress = Progress(job)
    try:
        result = handler(job, progress) or {}
    except ValidationError as exc:  # a refusal the handler explains: an outcome, not a crash
        return job_fail(job=job, message="；".join(exc.messages))
    except Exception as exc:
        if _connection_lost(exc):
            return job_interrupted(job=job, error=exc)
        log.exception("job %s (%s) failed", job.pk, job.kind)
        return job_fail(
            job=job,
            message=_(
                "The work stopped because of an unexpected error; nothing was left half-done. "
                "Start it again, and tell the system administrator if it happens again."
            ),
        )

    def finish():
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            done=progress.done if progress.total == 0 else max(progress.done, progress.total),
            total=progress.total,
            stage=progress.stage,
            # A job retried after a database restart says so in its result (the admin's job page shows it).
            result={**result, RETRIED_KEY: job.result[RETRIED_KEY]} if (job.result or {}).get(RETRIED_KEY) else result,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        return Job.objects.get(pk=job.pk)

    finished = _with_database(finish)
    cache.delete(job.progress_key)
    return finished


def _connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is a lost database connection rather than an error of the work:
    a connection error on a PostgreSQL connection that no longer answers (a statement timeout is an
    ``OperationalError`` too, on a connection that still works)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, CONNECTION_LOST):
            return connection.vendor == "postgresql" and _database_unusable()
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _database_unusable() -> bool:
    """The connection this thread holds no longer answers (the server restarted or went away)."""
    if connection.connection is None:
        return True
    try:
        return not connection.is_usable() or bool(connection.connection.closed)
    except Exception:
        return True


def _with_database(work: Callable, *, wait: float | None = None):
    """``work()`` on a working connection: a lost connection is closed and ``work`` tried again on a fresh
    one until the database answers, for at most ``JOB_DATABASE_WAIT_SECONDS``. Outside a transaction only
    (a connection cannot be replaced inside one)."""
    deadline = time.monotonic() + (settings.JOB_DATABASE_WAIT_SECONDS if wait is None else wait)
    delay = 0.5
    while True:
        try:
            return work()
        except CONNECTION_LOST:
            if connection.in_atomic_block or time.monotonic() > deadline:
                raise
            log.warning("the database is not answering; trying again in %.1f s", delay)
            connection.close()
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def job_interrupted(*, job: Job, error: BaseException) -> Job:
    """The job's database connection was lost mid-way (its transaction rolled back, so nothing was written
    half-way). Once the database answers again: a kind safe to repeat is queued again, once; any other
    kind, or a second interruption, is failed with a message saying the database restarted."""
    log.warning("job %s (%s) was interrupted by the database: %s", job.pk, job.kind, error)
    kind = JOB_KINDS.get(job.kind)
    retried = bool((job.result or {}).get(RETRIED_KEY))
    if kind is not None and kind.idempotent and not retried:

        def requeue() -> int:
            return Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.QUEUED,
                started_at=None,
                heartbeat_at=None,
                result={RETRIED_KEY: timezone.now().isoformat()},
                stage=_("interrupted by a database restart; started again"),
            )

        if _with_database(requeue):
            cache.delete(job.progress_key)
            log.warning("job %s (%s) queued again after the database came back", job.pk, job.kind)
            _send(kind, job.pk)
        return _with_database(lambda: Job.objects.get(pk=job.pk))
    message = _(
        "The database restarted while this work was being done (its connection was lost at %(when)s); "
        "nothing was left half-written. Start it again."
    ) % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")}
    if retried:
        message = _(
            "The database restarted while this work was being done, and again when it was retried by "
            "itself; nothing was left half-written. Start it again once the database is steady."
        )
    return job_fail(job=job, message=message)


def job_fail(*, job: Job, message: str) -> Job:
    """End a queued or running job as failed and let its kind put its target back (idempotent). Recorded
    on a fresh connection if the job's own was lost, waiting for the database to come back."""

    def fail() -> int:
        return Job.objects.filter(pk=job.pk, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).update(
            status=JobStatus.FAILED, error=message, finished_at=timezone.now()
        )

    failed = _with_database(fail)
    cache.delete(job.progress_key)
    _with_database(job.refresh_from_db)
    kind = JOB_KINDS.get(job.kind)
    if failed and kind and kind.on_failure:
        _with_database(lambda: kind.on_failure(job, message))
    return job


def _last_sign_of_life(job: Job):
    published = cache.get(job.progress_key)
    stamps = [job.heartbeat_at or job.started_at or job.created_at]
    if published and len(published) > 3:
        stamps.append(timezone.datetime.fromtimestamp(published[3], tz=timezone.get_current_timezone()))
    return max(stamps)


def jobs_sweep(*, now=None) -> dict[str, int]:
    """Fail running jobs whose worker vanished; send again queued jobs whose message was lost.

    Safe to run at any time and twice at once: failing is conditional on the status, and a job sent twice
    is claimed once."""
    now = now or timezone.now()
    stale = now - timezone.timedelta(seconds=settings.JOB_STALE_SECONDS)
    failed = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale).order_by("pk")[:1000]:
        if _last_sign_of_life(job) < stale:
            job_fail(
                job=job,
                message=_(
                    "The background worker stopped while doing this work (no sign of life since %(when)s). "
                    "Nothing was left half-written; start it again."
                )
                % {"when": timezone.localtime(_last_sign_of_life(job)).strftime("%Y-%m-%d %H:%M")},
            )
            failed += 1
    resend = now - timezone.timedelta(seconds=settings.JOB_RESEND_SECONDS)
    resent = 0
    for job in Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=resend).order_by("pk")[:1000]:
        kind = JOB_KINDS.get(job.kind)
        if kind is not None:
            _send(kind, job.pk)
            resent += 1
    return {"failed": failed, "resent": resent}


def heartbeat_record(*, name: str, result: dict | None = None) -> None:
    """A scheduled task ran now (``Heartbeat``)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now(), "result": result or {}})
