"""The product's long work done by a separate worker process, driven through gunicorn by a real browser:
a large roster, a bulk approval with its decision notices, a subsidy run from the admin, and one fired by a
beat schedule that county IT staff created in the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from membership.choices import ApplicationStatus
from membership.models import ImportStatus, Member, MembershipApplication, RosterImport
from stations.choices import StationStatus
from stations.models import SubsidyRun
from stations.models.subsidies import RunStatus
from tests.factories import QINSHUI
from tests.membership.factories import ApplicationFactory, resident_id, union_in
from tests.stack import processes
from tests.stack.conftest import log_in
from tests.stations.factories import StationFactory, ensure_catalogues
from tests.stations.rating_factories import give_stars, make_policy
from unionhub.models import Job, JobStatus

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ROWS = 25_000  # three batches of the check, so the bar has somewhere to move


def unique_id(i: int) -> str:
    return resident_id(birth=dt.date(1970, 1, 1) + dt.timedelta(days=i // 900), serial=i % 900)


def test_a_large_roster_is_checked_and_imported_by_the_worker_with_a_moving_bar(worker, web, desk, alice, tmp_path):
    union = union_in(QINSHUI, name="嘉峰煤矿工会")
    path = tmp_path / "花名册.csv"
    path.write_text(
        "姓名,身份证号,所属工会\n" + "".join(f"张伟,{unique_id(i)},{union.name}\n" for i in range(ROWS)),
        encoding="utf-8",
    )
    log_in(desk, web, "alice")
    desk.goto(f"{web}/admin/membership/rosterimport/add/")
    desk.set_input_files("input[type=file]", str(path))
    desk.click("#content-main input[type=submit]")
    desk.wait_for_selector("#job-progress")
    roster = RosterImport.objects.get()
    url = f"{web}/admin/membership/rosterimport/{roster.pk}/progress/"
    seen = []
    for _ in range(600):
        data = desk.request.get(url).json()
        seen.append(data["done"])
        if not data["running"]:
            break
        desk.wait_for_timeout(50)
    assert any(0 < done < ROWS for done in seen), seen  # the bar moved between start and end
    desk.wait_for_selector("#roster-confirm-form", timeout=60_000)  # the page reloaded itself on the outcome
    roster.refresh_from_db()
    assert roster.status == ImportStatus.PREVIEWED and roster.created == ROWS and not Member.objects.exists()
    desk.click("#roster-confirm-form [type=submit]")
    desk.wait_for_selector("#roster-outcome.success", timeout=90_000)
    roster.refresh_from_db()
    assert roster.status == ImportStatus.DONE and Member.objects.count() == ROWS
    jobs = Job.objects.filter(target_id=roster.pk).order_by("pk")
    assert [(j.kind, j.status) for j in jobs] == [
        ("membership.roster_check", JobStatus.DONE),
        ("membership.roster_import", JobStatus.DONE),
    ]
    log = worker.output()
    assert "membership.roster_check[" in log and "membership.roster_import[" in log  # the worker did both


def test_a_bulk_approval_above_the_limit_is_decided_by_the_worker_and_the_notices_sent(worker, web, desk, alice):
    union = union_in(QINSHUI, name="嘉峰煤矿工会")
    ids = [ApplicationFactory(union=union).pk for _ in range(6)]
    log_in(desk, web, "alice")
    desk.goto(f"{web}/admin/membership/membershipapplication/?status__exact=pending")
    desk.check("#action-toggle")
    desk.select_option("select[name=action]", "approve_selected")
    desk.click("button[name=index]")
    desk.wait_for_selector("ul.messagelist a")  # "Follow the progress"
    desk.click("ul.messagelist a")
    desk.wait_for_selector("#job-progress")
    applications = MembershipApplication.objects.filter(pk__in=ids)
    processes.wait_until(
        lambda: applications.filter(status=ApplicationStatus.APPROVED, notified_at__isnull=False).count() == 6,
        timeout=60,
        what="six approvals with their notices",
    )
    assert "membership.review_batch[" in worker.output() and "unionhub.message_deliver[" in worker.output()


def _station_with_stars():
    ensure_catalogues()
    station = StationFactory(region_id="140521104", status=StationStatus.OPERATING)
    give_stars(station, 3, dt.date(2025, 6, 1), dt.date(2027, 12, 31))
    return station


def test_a_subsidy_run_started_in_the_admin_is_computed_by_the_worker(worker, web, desk, alice):
    _station_with_stars()
    make_policy(QINSHUI)
    log_in(desk, web, "alice")
    desk.goto(f"{web}/admin/stations/subsidyrun/add/")
    desk.fill("#id_period_start", "2025-01-01")
    desk.fill("#id_period_end", "2025-12-31")
    desk.click("input[name=_save]")
    desk.wait_for_selector("#subsidy-run-actions")
    run = SubsidyRun.objects.get()
    processes.wait_until(
        lambda: SubsidyRun.objects.filter(pk=run.pk, status=RunStatus.PROPOSED).exists(), timeout=60, what="the run"
    )
    run.refresh_from_db()
    assert run.allocation_count >= 1 and run.job.status == JobStatus.DONE
    assert "stations.subsidy_run[" in worker.output()


def test_a_beat_schedule_created_in_the_admin_fires_a_subsidy_run(
    worker, web, desk, root, stack_logs, stack_env, started
):
    from django_celery_beat.models import IntervalSchedule

    _station_with_stars()
    today = timezone.localdate()
    quarter_end = today.replace(day=1) - dt.timedelta(days=1)  # a quarter that ended with last month
    quarter_start = quarter_end.replace(day=1) - relativedelta(months=2)
    make_policy(QINSHUI, starts_on=quarter_start, ends_on=quarter_end, period_months=3)
    every = IntervalSchedule.objects.create(every=2, period=IntervalSchedule.SECONDS)
    log_in(desk, web, "root")
    desk.goto(f"{web}/admin/django_celery_beat/periodictask/add/")
    desk.fill("#id_name", "补贴核算（测试）")
    desk.select_option("#id_regtask", "stations.subsidy_runs_due")
    desk.select_option("#id_interval", str(every.pk))
    desk.click("input[name=_save]")
    desk.wait_for_selector("ul.messagelist .success")
    started.append(processes.start_beat(stack_logs, env=stack_env))
    processes.wait_until(
        lambda: SubsidyRun.objects.filter(status=RunStatus.PROPOSED, period_end=quarter_end).exists(),
        timeout=60,
        what="a run fired by beat",
    )
    scheduled = Job.objects.filter(kind="stations.subsidy_runs_due", status=JobStatus.DONE).first()
    assert scheduled is not None and scheduled.result["runs"]  # the scheduled run left its trace
