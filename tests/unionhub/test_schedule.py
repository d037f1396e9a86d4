"""Scheduled work on the embedded default: with no beat, the web process's scheduler reads the same
django-celery-beat rows the migrations create and runs each task when beat would - the casework sweep (which
sends the due-soon reminders too), the job sweep, the nightly backup, the subsidy runs - once per occurrence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from casework.tasks.sweep import SWEEP_JOB
from unionhub.models import Heartbeat, Job, JobStatus
from unionhub.services import schedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beat_schedule")]

BEAT_TASKS = {"unionhub.jobs_sweep", SWEEP_JOB, "unionhub.backup_nightly", "stations.subsidy_runs_due"}


def run_here(name, args=(), kwargs=None):
    schedule.periodic_task_run(name, args, kwargs)


def last_run(task: str, **ago) -> None:
    PeriodicTask.objects.filter(task=task).update(last_run_at=timezone.now() - dt.timedelta(**ago))


@pytest.fixture
def all_just_ran():
    PeriodicTask.objects.update(last_run_at=timezone.now())


def test_the_migrations_schedule_everything_beat_runs_and_each_names_a_known_task():
    names = set(PeriodicTask.objects.filter(enabled=True).values_list("task", flat=True))
    assert names >= BEAT_TASKS
    assert all(name in schedule.app.tasks for name in names)


def test_it_runs_nothing_that_just_ran(all_just_ran):
    assert schedule.schedule_tick(run=run_here) == []


def test_it_runs_the_casework_sweep_every_15_minutes_as_a_job_of_its_own(all_just_ran):
    last_run(SWEEP_JOB, minutes=14)
    assert schedule.schedule_tick(run=run_here) == []
    last_run(SWEEP_JOB, minutes=16)
    assert schedule.schedule_tick(run=run_here) == [SWEEP_JOB]
    job = Job.objects.get(kind=SWEEP_JOB)
    assert job.status == JobStatus.DONE and job.result == {"escalated": 0, "due_soon": 0, "stalled": 0}
    assert Heartbeat.objects.filter(name=SWEEP_JOB).exists()
    assert schedule.schedule_tick(run=run_here) == []  # this occurrence is done: not again
    assert PeriodicTask.objects.get(task=SWEEP_JOB).total_run_count == 1


def test_it_runs_the_job_sweep_every_minute(all_just_ran):
    last_run("unionhub.jobs_sweep", seconds=61)
    assert schedule.schedule_tick(run=run_here) == ["unionhub.jobs_sweep"]


def test_it_runs_the_nightly_backup_once_a_night(all_just_ran):
    started = []
    last_run("unionhub.backup_nightly", hours=25)  # missed last night's 03:00 (the server was off)
    schedule.schedule_tick(run=lambda name, args, kwargs: started.append(name))
    assert started == ["unionhub.backup_nightly"]
    assert schedule.schedule_tick(run=lambda name, args, kwargs: started.append(name)) == []


def test_a_disabled_row_does_not_run(all_just_ran):
    PeriodicTask.objects.filter(task=SWEEP_JOB).update(enabled=False, last_run_at=timezone.now() - dt.timedelta(days=1))
    assert schedule.schedule_tick(run=run_here) == []


def test_an_occurrence_claimed_elsewhere_is_not_run_again(all_just_ran):
    last_run(SWEEP_JOB, minutes=16)
    [(task, _entry)] = [(t, e) for t, e in schedule.periodic_tasks_due() if t.task == SWEEP_JOB]
    assert schedule.periodic_task_claim(task, timezone.now())  # another process took it
    assert schedule.schedule_tick(run=run_here) == []
    assert not schedule.periodic_task_claim(task, timezone.now())


def test_the_scheduler_starts_once_per_process(monkeypatch):
    monkeypatch.setattr(schedule, "_started", type(schedule._started)())
    loops = []
    assert schedule.scheduler_start(loop=lambda: loops.append(1))
    assert not schedule.scheduler_start(loop=lambda: loops.append(2))
