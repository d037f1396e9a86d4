"""Operated like a server (issue 26), on the real processes: `make stack` under supervisord restarting a
killed worker and a killed web while the site serves, and stopping everything on Ctrl-C; a PostgreSQL
restart in the middle of a subsidy run (retried once by itself) and of a roster import (failed at once, with
the reason); Redis down while staff start a job (the request returns at once, the sweep sends it later) and
/healthz right after Redis restarts; a roster upload on a full disk (a quota: RLIMIT_FSIZE).

Each test says, in its assertions, what the operator sees, how long recovery takes and that nothing is lost."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from membership.models import CardCounter, ImportStatus, Member, RosterImport
from membership.services import roster as roster_services
from stations.choices import StationStatus
from stations.models import SubsidyAllocation, SubsidyRun
from stations.models.subsidies import RunStatus
from stations.services import subsidies
from tests.factories import QINSHUI
from tests.membership.factories import resident_id, union_in
from tests.stack import processes
from tests.stack.conftest import log_in
from tests.stack.test_faults import _pg_ctl, hold, running, waiting_on_a_lock
from tests.stations.factories import StationFactory, ensure_catalogues
from tests.stations.rating_factories import give_stars, make_policy
from unionhub.models import Job, JobStatus

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _get(url: str, timeout: float = 10) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0  # refused: nothing listens


def _ctl(state: Path, *args: str) -> str:
    done = subprocess.run(
        [str(processes.BIN / "supervisorctl"), "-s", f"unix://{state}/supervisor.sock", *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.stdout.strip()


def _pid(state: Path, program: str) -> int:
    out = _ctl(state, "pid", program)
    return int(out) if out.isdigit() else 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


@pytest.fixture
def stack(stack_env, stack_logs, tmp_path, static_root):
    """``.ci/stack`` (what ``make stack`` runs) on this run's PostgreSQL and Redis, in its own STACK_DIR."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    # The job sweep's schedule (a migration makes it; a transactional test before this one flushed it): beat
    # runs it every minute, and /healthz is 200 only once it has.
    every, _created = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.get_or_create(task="unionhub.jobs_sweep", defaults={"name": "job sweep", "interval": every})
    state = tmp_path / "stack-dir"
    port = processes.free_port()
    env = {**stack_env, "STACK_DIR": str(state), "PORT": str(port), "STATIC_ROOT": str(static_root)}
    for name in ("SECRET_KEY", "DEBUG", "UNIONHUB_ENV_FILE", "MEDIA_ROOT"):
        env.pop(name, None)  # as a newcomer's shell: the stack makes its own
    log = open(stack_logs / "stack.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        ["bash", ".ci/stack"], cwd=processes.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        processes.wait_until(
            lambda: proc.poll() is None and _get(base + "/healthz", timeout=5) == 200, timeout=120, what="the stack"
        )
        yield proc, state, base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        print((stack_logs / "stack.log").read_text(errors="replace")[-6000:])


def test_make_stack_restarts_a_killed_worker_and_web_keeps_serving_and_ctrl_c_stops_all(stack):
    proc, state, base = stack
    env_file = state / "env"
    assert (
        oct(env_file.stat().st_mode & 0o777) == "0o600"
        and oct((state / "secret_key").stat().st_mode & 0o777) == "0o600"
    )
    assert "SECRET_KEY_FILE=" in env_file.read_text() and "SECRET_KEY=" not in env_file.read_text().replace(
        "SECRET_KEY_FILE=", ""
    )
    assert (state / "gunicorn.ctl").is_socket()  # this stack's own control socket

    # kill -9 the worker (its whole process group, the pool too): supervisord starts a new one.
    worker = _pid(state, "worker")
    os.killpg(worker, signal.SIGKILL)
    killed = time.monotonic()
    statuses = []

    def worker_back():
        statuses.append(_get(base + "/stations/"))
        new = _pid(state, "worker")
        return new and new != worker and "worker" in _ctl(state, "status", "worker") and _get(base + "/healthz") == 200

    processes.wait_until(worker_back, timeout=60, interval=0.5, what="a new worker")
    worker_recovery = time.monotonic() - killed
    assert set(statuses) == {200}  # the site served all along
    assert worker_recovery < 30, worker_recovery
    print(f"worker killed: back and /healthz 200 after {worker_recovery:.1f} s; pages served all along")

    # kill -9 the web server (gunicorn's master and workers): restarted, serving again within seconds.
    web = _pid(state, "web")
    os.killpg(web, signal.SIGKILL)
    killed = time.monotonic()
    processes.wait_until(
        lambda: _pid(state, "web") not in (0, web) and _get(base + "/stations/") == 200,
        timeout=60,
        interval=0.2,
        what="a new web",
    )
    web_recovery = time.monotonic() - killed
    assert web_recovery < 20, web_recovery
    print(f"web killed: serving again after {web_recovery:.1f} s")
    assert "RUNNING" in _ctl(state, "status", "beat")  # beat untouched

    pids = [_pid(state, p) for p in ("web", "worker", "beat")]
    supervisord = int((state / "supervisord.pid").read_text())
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in the terminal of `make stack`
    assert proc.wait(90) in (0, 130)
    assert not any(_alive(pid) for pid in [*pids, supervisord])
    assert _get(base + "/stations/", timeout=2) == 0


def _wait_job(pk, status, timeout=120):
    return processes.wait_until(
        lambda: Job.objects.filter(pk=pk, status=status).first(), timeout=timeout, what=f"job {pk} {status}"
    )


def test_a_postgresql_restart_mid_run_retries_it_once_and_mid_import_fails_it_at_once_with_the_reason(
    stack_env, stack_logs, started, alice
):
    env = {**stack_env, "JOB_DATABASE_WAIT_SECONDS": "120"}
    ensure_catalogues()
    station = StationFactory(region_id="140521104", status=StationStatus.OPERATING)
    give_stars(station, 3, dt.date(2025, 6, 1), dt.date(2027, 12, 31))
    run = SubsidyRun.objects.create(
        region_id=QINSHUI,
        policy=make_policy(QINSHUI),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )
    worker = processes.start_worker(stack_logs, env=env)
    started.append(worker)

    # A subsidy run (safe to repeat) caught writing its allocations when PostgreSQL restarts.
    lock = hold("LOCK TABLE stations_subsidyallocation IN SHARE MODE", [])
    subsidies.subsidy_run_start(run=run, user=alice)
    job = processes.wait_until(lambda: running({"kind": "stations.subsidy_run"}), what="the run to start")
    processes.wait_until(waiting_on_a_lock, what="the run to be writing")
    connection.close()
    restarted = time.monotonic()
    _pg_ctl("stop")  # with the lock still held: the work is cut off mid-way, never let through first
    lock.close()
    time.sleep(3)
    _pg_ctl("start")
    done = _wait_job(job.pk, JobStatus.DONE)
    recovery = time.monotonic() - restarted
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED  # the same job, retried once by itself
    assert done.result.get("retried_after") and done.error == ""
    assert SubsidyAllocation.objects.filter(run=run, subsidy_type="operating").count() == 1  # once, not twice
    assert Job.objects.filter(kind="stations.subsidy_run").count() == 1
    assert "queued again after the database came back" in worker.output()
    print(f"subsidy run: retried by itself, proposed {recovery:.1f} s after the restart began")

    # A roster import (not repeated by itself) caught writing members: failed at once, saying why.
    union = union_in(QINSHUI, name="嘉峰煤矿工会")
    content = "姓名,身份证号,所属工会\n" + "".join(f"张伟,{resident_id()},{union.name}\n" for _ in range(50))
    roster = roster_services.roster_import_create(file=SimpleUploadedFile("r.csv", content.encode()), by=alice)
    roster = roster_services.roster_preview(roster=roster)
    CardCounter.objects.create(county_id=QINSHUI, year=timezone.localdate().year, last=0)
    lock = hold("SELECT 1 FROM membership_cardcounter WHERE county_id = %s FOR UPDATE", [QINSHUI])
    roster_services.roster_import_start(roster=roster, by=alice, mode=roster.mode)
    job = processes.wait_until(lambda: running({"kind": "membership.roster_import"}), what="the import")
    processes.wait_until(waiting_on_a_lock, what="the import to be writing")
    connection.close()
    restarted = time.monotonic()
    _pg_ctl("stop")  # with the lock still held: the work is cut off mid-way, never let through first
    lock.close()
    time.sleep(3)
    _pg_ctl("start")
    failed = _wait_job(job.pk, JobStatus.FAILED, timeout=60)
    recovery = time.monotonic() - restarted
    assert "数据库重新启动" in failed.error and "工作进程" not in failed.error  # the database, not the worker
    assert recovery < 30  # not JOB_STALE_SECONDS (15 min)
    roster.refresh_from_db()
    assert roster.status == ImportStatus.FAILED and roster.error == failed.error
    assert Member.objects.count() == 0  # its transaction rolled back: nothing half-written
    print(f"roster import: failed with the reason {recovery:.1f} s after the restart began: {failed.error}")
    roster_services.roster_check_start(roster=roster, user=alice)  # checked again, then confirmed: all 50
    processes.wait_until(
        lambda: RosterImport.objects.filter(pk=roster.pk, status=ImportStatus.PREVIEWED).exists(), what="the check"
    )
    roster_services.roster_import_start(roster=RosterImport.objects.get(pk=roster.pk), by=alice, mode=roster.mode)
    processes.wait_until(
        lambda: RosterImport.objects.filter(pk=roster.pk, status=ImportStatus.DONE).exists(), what="the import again"
    )
    assert Member.objects.count() == 50 and CardCounter.objects.get(county_id=QINSHUI).last == 50


class Browserless:
    """Staff in the admin over plain HTTP (a cookie jar and the CSRF token), for timing one request."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _token(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, data: dict, *, form_from: str) -> int:
        token = self._token(self.get(form_from))
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + form_from})
        with self.opener.open(request, timeout=60) as response:
            response.read()
            return response.status

    def log_in(self, username: str, password: str = "pw") -> None:
        self.post("/admin/login/?next=/admin/", {"username": username, "password": password}, form_from="/admin/login/")


def test_with_redis_down_starting_a_job_returns_at_once_and_healthz_is_right_after_redis_restarts(
    stack_env, stack_logs, started, tmp_path, alice
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
        "SECURE_COOKIES": "false",  # plain HTTP, as make stack: the CSRF cookie comes back
    }
    web_proc, web = processes.start_web(stack_logs, env=env)
    started.append(web_proc)
    staff = Browserless(web)
    staff.log_in("alice")

    subprocess.run(["redis-cli", "-p", str(port), "shutdown"], check=False, timeout=10)
    redis.popen.wait(10)
    change = f"/admin/stations/subsidyrun/{run.pk}/change/"
    began = time.monotonic()
    assert staff.post(f"/admin/stations/subsidyrun/{run.pk}/compute/", {}, form_from=change) == 200
    took = time.monotonic() - began
    print(f"compute with Redis down answered in {took:.2f} s (GET of the form included)")
    assert took < 3, took  # was ~21 s: the broker's retries inside the request
    job = Job.objects.get(kind="stations.subsidy_run")
    assert job.status == JobStatus.QUEUED  # waits in the database
    assert _get(web + "/healthz") == 503

    redis = processes.Process("redis-again", redis_args, os.environ.copy(), stack_logs)
    started.append(redis)
    redis.wait_for_output("Ready to accept connections")
    worker = processes.start_worker(stack_logs, env=env)
    started.append(worker)
    time.sleep(6)
    processes.celery_call("unionhub.jobs_sweep", env)  # beat's sweep, every minute in the stack
    _wait_job(job.pk, JobStatus.DONE, timeout=60)
    assert SubsidyAllocation.objects.filter(run=run, subsidy_type="operating").count() == 1

    # Redis restarts again with the worker up: /healthz is right the first time in every web process.
    subprocess.run(["redis-cli", "-p", str(port), "shutdown"], check=False, timeout=10)
    redis.popen.wait(10)
    redis = processes.Process("redis-third", redis_args, os.environ.copy(), stack_logs)
    started.append(redis)
    redis.wait_for_output("Ready to accept connections")
    processes.wait_until(
        lambda: (
            "Connected to redis" in worker.output().split("Cannot connect")[-1]
            or worker.output().count("Connected to redis") >= 2
        ),
        timeout=60,
        what="the worker back",
    )
    assert [_get(web + "/healthz") for _ in range(6)] == [200] * 6


@pytest.mark.browser
def test_a_roster_upload_on_a_full_disk_says_so_beside_the_field_and_leaves_no_file(
    stack_env, stack_logs, started, desk, alice, media_root
):
    union_in(QINSHUI, name="嘉峰煤矿工会")
    # A quota of 256 KB per file for the web process (RLIMIT_FSIZE): the roster's write fails half-way (EFBIG).
    port = processes.free_port()
    command = (
        f"ulimit -f 256; exec {processes.BIN}/gunicorn unionhub.wsgi -b 127.0.0.1:{port} -w 1 -k gthread --threads 4"
        f" --control-socket {stack_logs}/gunicorn-quota.ctl"
    )
    web = processes.Process("web-quota", ["bash", "-c", command], stack_env, stack_logs)
    started.append(web)
    web.wait_for_output("Booting worker")
    base = f"http://127.0.0.1:{port}"
    processes.wait_until(lambda: _get(base + "/admin/login/") == 200, what="web")
    rows = "".join(f"张伟,{resident_id()},嘉峰煤矿工会\n" for _ in range(12000))
    roster = media_root.parent / "big.csv"
    roster.write_text("姓名,身份证号,所属工会\n" + rows)
    assert roster.stat().st_size > 256 * 1024
    log_in(desk, base, "alice")
    desk.goto(f"{base}/admin/membership/rosterimport/add/")
    desk.set_input_files("input[name=file]", str(roster))
    desk.click("input[name=_upload]")
    desk.wait_for_selector("#roster-upload-form .errorlist")
    # Beside the upload field, in Chinese; not the 500 page.
    assert "没有空间" in desk.inner_text("#roster-upload-form .errorlist")
    assert not RosterImport.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]  # no truncated roster under MEDIA_ROOT
