"""The one job mechanism: each kind's progress moves, a finished job is never run twice, a failure is told
in Chinese and puts the work back where it can start again, and the sweep deals with vanished workers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from membership import services as application_services
from membership.models import ImportStatus, Member, MembershipApplication, ReviewBatch
from membership.services import roster as roster_services
from stations.choices import StationStatus
from stations.models import SubsidyRun
from stations.models.subsidies import RunStatus
from stations.services import subsidies
from tests.factories import QINSHUI
from tests.membership.factories import ApplicationFactory, resident_id, union_in
from tests.stations.factories import StationFactory, ensure_catalogues
from tests.stations.rating_factories import give_stars, make_policy, make_run
from unionhub.models import Job, JobStatus
from unionhub.services import jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress_calls(monkeypatch):
    """Every progress report of every job, as (kind, done, total)."""
    calls = []
    real = jobs.Progress.__call__

    def record(self, done, total=None, stage=None):
        calls.append((self.job.kind, done, total if total is not None else self.total))
        return real(self, done, total, stage)

    monkeypatch.setattr(jobs.Progress, "__call__", record)
    return calls


@pytest.fixture
def union(db):
    return union_in(QINSHUI, name="嘉峰煤矿工会")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def roster_of(user, rows: int):
    content = "姓名,身份证号,所属工会\n" + "".join(f"张伟,{resident_id()},嘉峰煤矿工会\n" for _ in range(rows))
    return roster_services.roster_import_create(file=SimpleUploadedFile("r.csv", content.encode()), by=user)


def assert_moved_and_once(job: Job, calls: list, kind: str) -> None:
    job.refresh_from_db()
    assert job.kind == kind and job.status == JobStatus.DONE, job.error
    mine = [done for k, done, _total in calls if k == kind]
    assert mine and mine == sorted(mine), mine  # reported, and never backwards
    assert job.done == job.total and job.finished_at and job.result
    before = len(calls)
    again = jobs.job_execute(job_id=job.pk, handler=jobs.job_kind(kind).task.handler)
    assert again.status == JobStatus.DONE and len(calls) == before  # a second delivery does nothing


def test_a_roster_check_and_import_report_progress_and_run_once(
    alice, union, progress_calls, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(roster_services, "BATCH", 10)
    with django_capture_on_commit_callbacks(execute=True):
        roster = roster_services.roster_check_start(roster=roster_of(alice, 35), user=alice)
        assert roster.status == ImportStatus.UPLOADED  # sent when the transaction commits, never run in it
    roster.refresh_from_db()
    assert roster.status == ImportStatus.PREVIEWED
    assert_moved_and_once(roster.job, progress_calls, "membership.roster_check")
    assert roster.job.total == 35 and roster.job.region_id == QINSHUI
    with django_capture_on_commit_callbacks(execute=True):
        roster_services.roster_import_start(roster=roster, by=alice, mode=roster.mode)
    roster.refresh_from_db()
    assert roster.status == ImportStatus.DONE and Member.objects.count() == 35
    assert_moved_and_once(roster.job, progress_calls, "membership.roster_import")
    assert Member.objects.count() == 35


def test_a_bulk_decision_reports_progress_and_runs_once(
    alice, union, progress_calls, settings, django_capture_on_commit_callbacks
):
    settings.MEMBERSHIP_BULK_SYNC_LIMIT = 1
    ids = [ApplicationFactory(union=union, county_id=QINSHUI).pk for _ in range(30)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = application_services.review_batch_create(action="approve", application_ids=ids, by=alice)
    batch = ReviewBatch.objects.select_related("job").get(pk=batch.pk)
    assert (batch.status, batch.decided, batch.skipped) == (JobStatus.DONE, 30, 0)
    assert_moved_and_once(batch.job, progress_calls, "membership.review_batch")
    assert MembershipApplication.objects.filter(status="approved").count() == 30


def test_a_subsidy_run_reports_progress_and_runs_once(alice, progress_calls, django_capture_on_commit_callbacks):
    ensure_catalogues()
    station = StationFactory(region_id="140521104", status=StationStatus.OPERATING)
    give_stars(station, 3, dt.date(2025, 6, 1), dt.date(2027, 12, 31))
    run = make_run(make_policy(QINSHUI))
    with django_capture_on_commit_callbacks(execute=True):
        subsidies.subsidy_run_start(run=run, user=alice)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    assert_moved_and_once(run.job, progress_calls, "stations.subsidy_run")
    assert run.job.result["allocations"] == run.allocation_count


def test_a_failed_job_says_why_in_chinese_and_its_run_can_start_again(
    alice, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "zh-hans"
    run = SubsidyRun.objects.create(
        region_id=QINSHUI,
        policy=make_policy(QINSHUI),
        period_start=dt.date(2030, 1, 1),
        period_end=dt.date(2030, 3, 31),
    )
    with django_capture_on_commit_callbacks(execute=True):
        subsidies.subsidy_run_start(run=run, user=alice)  # no policy covers 2030
    run.refresh_from_db()
    assert run.job.status == JobStatus.FAILED and run.status == RunStatus.FAILED
    assert "政策" in run.job.error and run.error == run.job.error
    first = run.job_id
    with django_capture_on_commit_callbacks(execute=True):
        subsidies.subsidy_run_start(run=run, user=alice)
    assert SubsidyRun.objects.get(pk=run.pk).job_id != first  # a new job, not the old one


def test_the_sweep_fails_a_job_whose_worker_vanished_and_puts_the_import_back(
    alice, union, settings, django_capture_on_commit_callbacks
):
    def checked(roster):
        with django_capture_on_commit_callbacks(execute=True):
            roster_services.roster_check_start(roster=roster, user=alice)
        roster.refresh_from_db()
        return roster

    def imported(roster):
        with django_capture_on_commit_callbacks(execute=True):
            roster_services.roster_import_start(roster=roster, by=alice, mode=roster.mode)
        roster.refresh_from_db()
        return roster

    assert imported(checked(roster_of(alice, 3))).status == ImportStatus.DONE
    # Simulate a worker that claimed an import and died: the import is "importing", its job "running".
    stuck = checked(roster_of(alice, 2))
    job = jobs.job_create(kind="membership.roster_import", user=alice, target=stuck)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS + 60)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago)
    stuck.__class__.objects.filter(pk=stuck.pk).update(status=ImportStatus.IMPORTING, job=job)
    assert jobs.jobs_sweep() == {"failed": 1, "resent": 0}
    job.refresh_from_db()
    stuck.refresh_from_db()
    assert job.status == JobStatus.FAILED and "重新" in job.error
    assert stuck.status == ImportStatus.FAILED and stuck.error == job.error
    assert jobs.jobs_sweep() == {"failed": 0, "resent": 0}  # failing is done once
    # Failed, it can be checked and confirmed again.
    stuck = checked(stuck)
    assert stuck.status == ImportStatus.PREVIEWED and stuck.error == ""
    stuck = imported(stuck)
    assert stuck.status == ImportStatus.DONE and stuck.created == 2


def test_the_sweep_leaves_a_running_job_with_a_recent_sign_of_life_alone(alice, settings):
    job = jobs.job_create(kind="stations.subsidy_run", user=alice)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS + 60)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=long_ago)
    job.refresh_from_db()
    jobs.Progress(job)(5, 10)  # inside a long transaction the sign of life goes to the cache
    assert jobs.jobs_sweep()["failed"] == 0


def test_the_sweep_sends_again_a_queued_job_whose_message_was_lost(alice, settings, monkeypatch):
    sent = []
    monkeypatch.setattr(jobs, "_send", lambda kind, job_id: sent.append(job_id))
    job = jobs.job_create(kind="stations.subsidy_run", user=alice)
    Job.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=settings.JOB_RESEND_SECONDS + 60)
    )
    fresh = jobs.job_create(kind="stations.subsidy_run", user=alice)
    assert jobs.jobs_sweep()["resent"] == 1 and sent == [job.pk] and fresh.pk not in sent


def test_a_job_is_scoped_like_everything_else(alice, bob, client_for):
    from django.urls import reverse

    job = jobs.job_create(kind="stations.subsidy_run", user=alice)
    url = reverse("admin:unionhub_job_progress", args=[job.pk])
    assert client_for(alice).get(url).json()["status"] == JobStatus.QUEUED
    assert client_for(bob).get(url).status_code == 302  # out of scope behaves as missing (the admin's redirect)
