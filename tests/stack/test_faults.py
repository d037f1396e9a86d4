"""Faults on the production shape, with nothing lost and nothing doubled: a worker killed with ``kill -9``
in the middle of a roster import and of a subsidy run, Redis down for 30 seconds, PostgreSQL restarted.

Each test starts its own processes on loopback and is bounded in time. A worker is caught "in the middle"
by holding, from the test, a row lock that the work needs (the county's card-number counter for a roster
import, the run's row for a subsidy run): the job is claimed and running, its transaction open, when the
worker is killed."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from membership.choices import ApplicationStatus
from membership.models import CardCounter, ImportStatus, Member, MembershipApplication, RosterImport
from membership.services import roster as roster_services
from stations.choices import StationStatus
from stations.models import SubsidyAllocation, SubsidyRun
from stations.models.subsidies import RunStatus
from stations.services import subsidies
from tests.factories import QINSHUI
from tests.membership.factories import holding_pool, resident_id, union_in
from tests.stack import processes
from tests.stack.conftest import log_in
from tests.stations.factories import StationFactory, ensure_catalogues
from tests.stations.rating_factories import give_stars, make_policy
from unionhub.models import Job, JobStatus

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def hold(sql: str, params) -> psycopg2.extensions.connection:
    """A second connection holding a row lock until it is rolled back."""
    conn = psycopg2.connect(processes.test_database_url())
    conn.cursor().execute(sql, params)
    return conn


def waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def running(job_filter) -> Job | None:
    return Job.objects.filter(status=JobStatus.RUNNING, **job_filter).first()


def sweep_after_stale(env: dict[str, str]) -> None:
    """Let the killed worker's job go quiet past JOB_STALE_SECONDS, then run the scheduled sweep."""
    time.sleep(int(env["JOB_STALE_SECONDS"]) + 1)
    processes.celery_call("unionhub.jobs_sweep", env)


@pytest.fixture
def fault_env(stack_env):
    return {**stack_env, "JOB_STALE_SECONDS": "5", "JOB_RESEND_SECONDS": "5"}


def test_a_worker_killed_mid_import_writes_nothing_and_the_import_can_be_confirmed_again(
    fault_env, stack_logs, started, alice
):
    union = union_in(QINSHUI, name="嘉峰煤矿工会")
    content = "姓名,身份证号,所属工会\n" + "".join(f"张伟,{resident_id()},{union.name}\n" for _ in range(300))
    roster = roster_services.roster_import_create(file=SimpleUploadedFile("r.csv", content.encode()), by=alice)
    roster = roster_services.roster_preview(roster=roster)  # the check here, in the test; the import by the worker
    assert roster.status == ImportStatus.PREVIEWED
    CardCounter.objects.create(county_id=QINSHUI, year=timezone.localdate().year, last=0)
    worker = processes.start_worker(stack_logs, env=fault_env)
    started.append(worker)
    lock = hold("SELECT 1 FROM membership_cardcounter WHERE county_id = %s FOR UPDATE", [QINSHUI])
    try:
        roster_services.roster_import_start(roster=roster, by=alice, mode=roster.mode)
        job = processes.wait_until(lambda: running({"kind": "membership.roster_import"}), what="the import to start")
        processes.wait_until(waiting_on_a_lock, what="the worker to be writing members")
        worker.kill()
    finally:
        lock.rollback()
        lock.close()
    assert Member.objects.count() == 0  # the killed transaction left nothing

    worker = processes.start_worker(stack_logs, name="worker2", env=fault_env)
    started.append(worker)
    sweep_after_stale(fault_env)
    processes.wait_until(lambda: Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).exists(), what="the sweep")
    job.refresh_from_db()
    roster.refresh_from_db()
    assert "重新" in job.error  # in Chinese: the worker stopped, start again
    assert roster.status == ImportStatus.FAILED and roster.error == job.error

    roster_services.roster_check_start(roster=roster, user=alice)  # checked again, then confirmed again: the worker
    processes.wait_until(
        lambda: RosterImport.objects.filter(pk=roster.pk, status=ImportStatus.PREVIEWED).exists(), what="the check"
    )
    roster.refresh_from_db()
    roster_services.roster_import_start(roster=roster, by=alice, mode=roster.mode)
    processes.wait_until(
        lambda: RosterImport.objects.filter(pk=roster.pk, status=ImportStatus.DONE).exists(), what="the import"
    )
    assert Member.objects.count() == 300
    assert CardCounter.objects.get(county_id=QINSHUI).last == 300  # numbers taken once, no gap


def test_a_worker_killed_mid_run_leaves_no_allocation_and_the_run_can_start_again(
    fault_env, stack_logs, started, alice
):
    ensure_catalogues()
    station = StationFactory(region_id="140521104", status=StationStatus.OPERATING)
    give_stars(station, 3, dt.date(2025, 6, 1), dt.date(2027, 12, 31))
    run = SubsidyRun.objects.create(
        region_id=QINSHUI,
        policy=make_policy(QINSHUI),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )
    worker = processes.start_worker(stack_logs, env=fault_env)
    started.append(worker)
    # The run writes its allocations last, in one transaction: a share lock on their table holds it there.
    lock = hold("LOCK TABLE stations_subsidyallocation IN SHARE MODE", [])
    try:
        subsidies.subsidy_run_start(run=run, user=alice)
        job = processes.wait_until(lambda: running({"kind": "stations.subsidy_run"}), what="the run to start")
        processes.wait_until(waiting_on_a_lock, what="the worker to be computing")
        worker.kill()
    finally:
        lock.rollback()
        lock.close()
    assert not SubsidyAllocation.objects.exists()

    worker = processes.start_worker(stack_logs, name="worker2", env=fault_env)
    started.append(worker)
    sweep_after_stale(fault_env)
    processes.wait_until(lambda: Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).exists(), what="the sweep")
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "重新" in run.error

    subsidies.subsidy_run_start(run=run, user=alice)
    processes.wait_until(
        lambda: SubsidyRun.objects.filter(pk=run.pk, status=RunStatus.PROPOSED).exists(), what="the run again"
    )
    assert SubsidyAllocation.objects.filter(station=station, subsidy_type="operating").count() == 1


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.browser
def test_with_redis_down_for_30_seconds_pages_serve_workers_join_and_queued_jobs_run_after(
    stack_env, stack_logs, started, tmp_path, desk, alice, browser
):
    ensure_catalogues()
    station = StationFactory(region_id="140521104", status=StationStatus.OPERATING)
    give_stars(station, 3, dt.date(2023, 6, 1), dt.date(2027, 12, 31))
    make_policy(QINSHUI)
    make_policy(QINSHUI, starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31))
    holding_pool(QINSHUI)
    port = processes.free_port()
    redis_args = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(tmp_path),
        "--appendonly",
        "yes",
    ]
    redis = processes.Process("redis", redis_args, os.environ.copy(), stack_logs)
    started.append(redis)
    redis.wait_for_output("Ready to accept connections")
    env = {
        **stack_env,
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/1",
        "JOB_RESEND_SECONDS": "5",
    }
    web_proc, web = processes.start_web(stack_logs, env=env)
    started.append(web_proc)

    log_in(desk, web, "alice")

    def start_run(year: int) -> SubsidyRun:
        desk.goto(f"{web}/admin/stations/subsidyrun/add/")
        desk.fill("#id_period_start", f"{year}-01-01")
        desk.fill("#id_period_end", f"{year}-12-31")
        desk.click("input[name=_save]")
        desk.wait_for_selector("#subsidy-run-actions")
        return SubsidyRun.objects.get(period_start=dt.date(year, 1, 1))

    before = start_run(2025)  # queued while no worker runs: its message waits in Redis
    subprocess.run(["redis-cli", "-p", str(port), "shutdown"], check=False, timeout=10)
    redis.popen.wait(10)
    outage_ends = time.monotonic() + 30
    during = start_run(2024)  # the broker is down: the job waits in the database for the sweep
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{web}/join/?station={station.code}")
    phone.fill("#id_name", "王建军")
    phone.fill("#id_resident_id", resident_id(QINSHUI))
    phone.fill("#id_mobile", "13903561234")
    phone.select_option("#id_occupation", "truck_driver")
    phone.fill("#id_employer", "满帮货运平台")
    phone.check("#id_consent")
    phone.click("#join-form button[type=submit]")
    phone.wait_for_selector("#reference")  # a worker can still apply while Redis is down
    assert MembershipApplication.objects.filter(status=ApplicationStatus.PENDING).count() == 1
    while time.monotonic() < outage_ends:
        for path in ("/stations/", f"/stations/{station.code}/", "/join/", "/admin/login/"):
            status, body = _get(web + path)
            assert status == 200 and "Traceback" not in body, (path, status)
        desk.goto(f"{web}/admin/membership/membershipapplication/")
        assert desk.locator("#result_list").count() == 1
        time.sleep(2)
    status, _body = _get(web + "/healthz")
    assert status == 503

    redis = processes.Process("redis-again", redis_args, os.environ.copy(), stack_logs)
    started.append(redis)
    redis.wait_for_output("Ready to accept connections")
    worker = processes.start_worker(stack_logs, env=env)
    started.append(worker)
    time.sleep(6)
    processes.celery_call("unionhub.jobs_sweep", env)
    for run in (before, during):
        processes.wait_until(
            lambda run=run: SubsidyRun.objects.filter(pk=run.pk, status=RunStatus.PROPOSED).exists(),
            timeout=60,
            what=f"run {run}",
        )
    # The job is marked done just after its run is proposed (a second write): wait for it, as for the runs.
    done = Job.objects.filter(kind="stations.subsidy_run", status=JobStatus.DONE)
    processes.wait_until(lambda: done.count() >= 2, timeout=30, what="both subsidy jobs done")
    assert done.count() == 2
    assert SubsidyAllocation.objects.filter(subsidy_type="operating").count() == 2  # one per run, none twice


def _pg_ctl(*args: str) -> None:
    data, bin_dir = os.environ.get("UNIONHUB_TEST_PGDATA"), os.environ.get("UNIONHUB_TEST_PGBIN")
    if not data or not bin_dir:
        pytest.fail("run under .ci/with-services: it says where its PostgreSQL lives (UNIONHUB_TEST_PGDATA)")
    command = [f"{bin_dir}/pg_ctl", "-D", data, "-w", "-m", "fast", *args]
    if args == ("start",):  # start it as .ci/with-services did: its options are in postmaster.opts
        saved = shlex.split(Path(data, "postmaster.opts").read_text())[1:]
        options = [a for i, a in enumerate(saved) if a != "-D" and (i == 0 or saved[i - 1] != "-D")]
        command += ["-o", shlex.join(options), "-l", str(Path(data).parent / "pg.log")]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def test_after_a_postgresql_restart_web_and_worker_recover_by_themselves(stack_env, stack_logs, started, alice):
    ensure_catalogues()
    station = StationFactory(region_id="140521104", status=StationStatus.OPERATING)
    give_stars(station, 3, dt.date(2025, 6, 1), dt.date(2027, 12, 31))
    make_policy(QINSHUI)
    run = SubsidyRun.objects.create(
        region_id=QINSHUI,
        policy=make_policy(QINSHUI, starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31)),
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
    )
    worker = processes.start_worker(stack_logs, env=stack_env)
    started.append(worker)
    web_proc, web = processes.start_web(stack_logs, env=stack_env)
    started.append(web_proc)
    assert _get(web + "/admin/login/")[0] == 200
    connection.close()
    _pg_ctl("stop")
    try:
        status, body = _get(web + f"/stations/{station.code}/")
        assert status == 500 and "系统暂时无法处理" in body and "Traceback" not in body  # a clean page
        status, body = _get(web + "/healthz")
        assert status == 503 and '"database": "down' in body
    finally:
        _pg_ctl("start")
    status, _body = _get(web + f"/stations/{station.code}/")
    assert status == 200  # the same gunicorn workers, reconnected
    subsidies.subsidy_run_start(run=run, user=alice)
    processes.wait_until(
        lambda: SubsidyRun.objects.filter(pk=run.pk, status=RunStatus.PROPOSED).exists(), timeout=60, what="the run"
    )
    assert "stations.subsidy_run[" in worker.output()
