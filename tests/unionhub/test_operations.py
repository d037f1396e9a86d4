"""Operated like a server (issue 26), the parts that need no real services: the stack's environment file,
backups that refuse the wrong site, restore without a prompt, uploads that leave no partial file, the
orphaned-upload sweep, one active job per target, a job sent within a second with the broker down, /healthz
asking the worker twice, and the systemd units that match `make stack`'s supervisord programs."""

from __future__ import annotations

import configparser
import datetime as dt
import errno
import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from membership.models import ImportMode, RosterImport
from stations.models import SubsidyRun
from stations.services import subsidies
from tests.factories import QINSHUI
from tests.membership.factories import resident_id, union_in
from tests.stations.rating_factories import make_policy
from unionhub import envfile, storage
from unionhub.models import Job, JobStatus
from unionhub.services import jobs, media
from unionhub.services.backups import BackupRefused, backup_check

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


# --- the stack's environment file --------------------------------------------------------------------


def test_the_env_file_is_read_under_what_the_environment_already_says(tmp_path):
    path = tmp_path / "env"
    path.write_text(
        "# written by make stack\nDATABASE_URL=postgres://a@h:1/x?sslmode=disable&x=1\nDEBUG=false\n\nQUOTED='a b'\n"
    )
    environ = {"UNIONHUB_ENV_FILE": str(path), "DEBUG": "true"}
    assert envfile.env_file_load(environ) == path
    assert environ["DATABASE_URL"] == "postgres://a@h:1/x?sslmode=disable&x=1"  # taken as it is
    assert environ["DEBUG"] == "true"  # the environment wins
    assert environ["QUOTED"] == "a b"
    assert environ[envfile.LOADED_FROM] == str(path)


def test_the_env_file_is_found_beside_the_stack_and_never_read_with_none(tmp_path):
    (tmp_path / "env").write_text("SECRET_KEY_FILE=/somewhere\n")
    assert envfile.env_file_path({"STACK_DIR": str(tmp_path)}) == tmp_path / "env"
    assert envfile.env_file_path({}) == envfile.BASE_DIR / ".stack" / "env"
    environ = {"STACK_DIR": str(tmp_path), "UNIONHUB_ENV_FILE": "none"}
    assert envfile.env_file_load(environ) is None and "SECRET_KEY_FILE" not in environ
    with pytest.raises(SystemExit, match="does not exist"):
        envfile.env_file_load({"UNIONHUB_ENV_FILE": str(tmp_path / "missing")})


def _manage(*args, env: dict[str, str], cwd=ROOT) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    for name in ("DEBUG", "SECRET_KEY", "UNIONHUB_ENV_FILE"):  # as a shell beside the stack has them (make test sets
        base.pop(name, None)  # UNIONHUB_ENV_FILE=none for its own processes)
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=cwd, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_manage_py_beside_a_stack_reads_its_settings_and_secret_key_file(tmp_path):
    key = tmp_path / "secret_key"
    key.write_text("k" * 60 + "\n")
    key.chmod(0o600)
    (tmp_path / "env").write_text(
        f"DEBUG=false\nSECRET_KEY_FILE={key}\nDATABASE_URL=sqlite:///{tmp_path}/site.sqlite3\n"
        f"MEDIA_ROOT={tmp_path}/media\nALLOWED_HOSTS=127.0.0.1\n"
    )
    done = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECRET_KEY[:3], s.MEDIA_ROOT)",
        env={"STACK_DIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["kkk", f"{tmp_path}/media"]


def test_without_configuration_a_backup_says_so_and_creates_nothing(tmp_path):
    done = _manage("backup", env={"UNIONHUB_ENV_FILE": "none"})
    assert done.returncode == 1 and "SECRET_KEY" in done.stderr and ".stack/env" in done.stderr
    missing = tmp_path / "db.sqlite3"
    done = _manage(
        "backup",
        "--dir",
        str(tmp_path / "b"),
        env={"UNIONHUB_ENV_FILE": "none", "DEBUG": "true", "DATABASE_URL": f"sqlite:///{missing}"},
    )
    assert done.returncode == 1, done.stdout
    assert "no site to back up" in done.stderr and str(missing) in done.stderr
    assert "backing up: database SQLite" in done.stderr  # which site it would have backed up
    assert not missing.exists() and not (tmp_path / "b").exists()  # no empty SQLite file, no backup


def test_a_backup_refuses_an_empty_database(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    import sqlite3

    sqlite3.connect(empty).close()
    done = _manage(
        "backup",
        "--dir",
        str(tmp_path / "b"),
        env={"UNIONHUB_ENV_FILE": "none", "DEBUG": "true", "DATABASE_URL": f"sqlite:///{empty}"},
    )
    assert done.returncode == 1 and "the database is empty" in done.stderr
    assert not (tmp_path / "b").exists()


def test_a_backup_refuses_a_missing_or_wrong_media_root(db, settings, tmp_path, alice):
    settings.MEDIA_ROOT = tmp_path / "nowhere"
    with pytest.raises(BackupRefused, match="does not exist"):
        backup_check()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    backup_check()  # an existing, empty folder and no files named: fine
    union_in(QINSHUI, name="嘉峰煤矿工会")
    roster = RosterImport.objects.create(created_by=alice, region_id=QINSHUI, filename="r.csv", size=1)
    roster.file.save("r.csv", ContentFile(b"x"))
    backup_check()
    settings.MEDIA_ROOT = tmp_path / "other"
    settings.MEDIA_ROOT.mkdir()
    with pytest.raises(BackupRefused, match="holds none of the 1 uploaded files"):
        backup_check()


def test_restore_without_a_terminal_asks_for_no_input_instead_of_crashing(db, tmp_path, monkeypatch):
    dump = tmp_path / "unionhub-20260101-000000.sqlite3"
    dump.write_bytes(b"")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--no-input"):
        call_command("restore", str(dump))


def test_make_restore_passes_yes_as_no_input():
    done = subprocess.run(
        ["make", "-n", "restore", "FILE=backups/x.dump", "YES=1"], cwd=ROOT, capture_output=True, text=True
    )
    assert 'manage.py restore "backups/x.dump" --no-input' in done.stdout


# --- uploads -------------------------------------------------------------------------------------------


class _Chunks:
    """Content whose second chunk cannot be written: the disk fills up half-way."""

    def __init__(self, err):
        self.err = err

    def chunks(self):
        yield b"x" * 1000
        raise OSError(self.err, os.strerror(self.err))


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EDQUOT, errno.EIO])
def test_a_failed_write_leaves_no_partial_file(tmp_path, err):
    store = storage.SafeFileSystemStorage(location=tmp_path)
    with pytest.raises(storage.UploadWriteError) as caught:
        store.save("rosters/r.csv", _Chunks(err))
    assert caught.value.errno == err
    assert not list((tmp_path / "rosters").iterdir())
    assert ("没有空间" in caught.value.message) == (err != errno.EIO)
    store.save("rosters/r.csv", ContentFile(b"ok"))  # the name is free again
    assert (tmp_path / "rosters" / "r.csv").read_bytes() == b"ok"


def test_a_full_disk_on_a_roster_upload_is_a_message_beside_the_file_field(
    alice, client_for, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    union_in(QINSHUI, name="嘉峰煤矿工会")

    original = storage.SafeFileSystemStorage._save

    def full_disk(self, name, content):
        class Half:
            def chunks(self_inner):
                yield b"x" * 100
                raise OSError(errno.ENOSPC, "No space left on device")

        return original(self, name, Half())

    monkeypatch.setattr(storage.SafeFileSystemStorage, "_save", full_disk)
    content = "姓名,身份证号,所属工会\n" + f"张伟,{resident_id()},嘉峰煤矿工会\n"
    response = client_for(alice).post(
        reverse("admin:membership_rosterimport_add"),
        {"file": SimpleUploadedFile("r.csv", content.encode()), "mode": ImportMode.ALL_OR_NOTHING},
    )
    assert response.status_code == 200
    assert "没有空间" in " ".join(response.context["form"].errors["file"])
    assert not RosterImport.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # no partial roster under MEDIA_ROOT


def test_the_orphan_sweep_removes_only_unowned_files_older_than_a_day(db, settings, tmp_path, alice):
    settings.MEDIA_ROOT = tmp_path
    roster = RosterImport.objects.create(created_by=alice, region_id=QINSHUI, filename="r.csv", size=1)
    roster.file.save("kept.csv", ContentFile(b"x"))
    (tmp_path / "rosters").mkdir(exist_ok=True)
    old_orphan, new_orphan = tmp_path / "rosters" / "old.csv", tmp_path / "rosters" / "new.csv"
    old_orphan.write_bytes(b"partial")
    new_orphan.write_bytes(b"being uploaded")
    day_ago = time.time() - 2 * 24 * 3600
    for path in (old_orphan, tmp_path / roster.file.name):
        os.utime(path, (day_ago, day_ago))
    assert media.media_orphans_sweep() == {"removed": 1, "bytes": 7}
    assert not old_orphan.exists() and new_orphan.exists() and (tmp_path / roster.file.name).exists()


@pytest.mark.usefixtures("beat_schedule")
def test_the_orphan_sweep_is_scheduled(db):
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.get(task="unionhub.media_orphans_sweep").enabled


# --- jobs ----------------------------------------------------------------------------------------------


def test_three_compute_clicks_start_one_job(db, alice, client_for, django_capture_on_commit_callbacks, settings):
    settings.JOB_RUNNER = "celery"  # queued, not run: the worker has not taken it yet
    run = SubsidyRun.objects.create(
        region_id=QINSHUI,
        policy=make_policy(QINSHUI),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )
    client = client_for(alice)
    url = reverse("admin:stations_subsidyrun_compute", args=[run.pk])
    for _ in range(3):
        response = client.post(url, follow=True)
        assert response.status_code == 200
    assert Job.objects.filter(kind=subsidies.RUN_JOB).count() == 1
    assert "已在" in " ".join(str(m) for m in response.context["messages"]) or Job.objects.count() == 1
    with pytest.raises(ValidationError):
        subsidies.subsidy_run_start(run=run, user=alice)
    Job.objects.update(status=JobStatus.DONE)
    subsidies.subsidy_run_start(run=run, user=alice)  # once it ended, a new one may start
    assert Job.objects.filter(kind=subsidies.RUN_JOB).count() == 2


def test_a_job_is_sent_within_a_second_with_the_broker_down(db, settings, alice):
    from unionhub.celery import app

    settings.JOB_RUNNER = "celery"
    previous = app.conf.broker_write_url, app.conf.task_always_eager
    app.conf.broker_write_url, app.conf.task_always_eager = "redis://127.0.0.1:9/1", False
    try:
        job = jobs.job_create(kind=subsidies.RUN_JOB, user=alice)
        started = time.monotonic()
        jobs._send(jobs.job_kind(subsidies.RUN_JOB), job.pk)  # what the request does once it commits
        assert time.monotonic() - started < 1.5
    finally:
        app.conf.broker_write_url, app.conf.task_always_eager = previous
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED  # waits for the sweep


def test_healthz_asks_the_worker_twice_before_reporting_it_down(settings, monkeypatch, db):
    from unionhub import views

    settings.JOB_RUNNER = "celery"
    answers = [[], [{"worker@h": {"ok": "pong"}}]]
    monkeypatch.setattr(views.app.control, "ping", lambda timeout: answers.pop(0))
    assert views._worker() == "ok (1)"
    monkeypatch.setattr(views.app.control, "ping", lambda timeout: [])
    with pytest.raises(RuntimeError, match="twice"):
        views._worker()


# --- the units a real server uses -------------------------------------------------------------------------


def _units() -> dict[str, configparser.ConfigParser]:
    units = {}
    for path in sorted((ROOT / "deploy" / "systemd").glob("unionhub-*.service")):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str
        parser.read(path)
        units[path.stem.removeprefix("unionhub-")] = parser
    return units


def test_the_systemd_units_restart_and_read_the_environment_file():
    units = _units()
    assert set(units) == {"web", "worker", "beat"}
    for unit in units.values():
        assert unit["Service"]["Restart"] == "always"
        assert unit["Service"]["EnvironmentFile"] == "/etc/unionhub/unionhub.env"
        assert unit["Unit"]["PartOf"] == "unionhub.target" and unit["Install"]["WantedBy"] == "unionhub.target"


def test_the_systemd_units_run_what_make_stack_runs():
    supervisor = configparser.ConfigParser(interpolation=None, strict=False)
    supervisor.read(ROOT / "deploy" / "supervisord.conf")

    def normal(command: str) -> list[str]:  # ${PORT} and %(ENV_PORT)s alike; paths differ by design
        command = re.sub(r"\$\{(\w+)\}|%\(ENV_(\w+)\)s", lambda m: "{" + (m[1] or m[2]) + "}", command)
        words = command.replace("%%", "%").split()
        return [Path(words[0]).name, *(w for w in words[1:] if not w.startswith("/") and "/" not in w.split(":")[0])]

    for name, unit in _units().items():
        ours, theirs = normal(unit["Service"]["ExecStart"]), normal(supervisor[f"program:{name}"]["command"])
        assert ours[:4] == theirs[:4], name
        assert {a for a in ours if a.startswith("--")} == {a for a in theirs if a.startswith("--")}, name
        assert unit["Service"]["Restart"] == "always" and supervisor[f"program:{name}"]["autorestart"] == "true"


def test_the_systemd_units_verify(tmp_path):
    """systemd-analyze comes with Debian's systemd package (.ci/with-services installs it): never skipped."""
    assert shutil.which("systemd-analyze"), "systemd-analyze is missing: apt-get install systemd"
    venv = Path(sys.executable).parent.parent
    for path in (ROOT / "deploy" / "systemd").iterdir():
        text = path.read_text().replace("/srv/unionhub/.venv", str(venv))
        text = text.replace("/etc/unionhub/unionhub.env", str(ROOT / "deploy" / "unionhub.env.example"))
        text = text.replace("User=unionhub", "User=root").replace("Group=unionhub", "Group=root")
        (tmp_path / path.name).write_text(text)
    done = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [line for line in done.stderr.splitlines() if str(tmp_path) in line or "unionhub" in line]
    assert done.returncode == 0 and not problems, done.stderr
