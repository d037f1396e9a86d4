"""A newcomer's `make stack`, then `make backup` and `make restore` in a second shell, exactly as the README
writes them, from a fresh clone - and the README's recovery on a second fresh clone (a new machine): the
secret key and the backup copied in, `STACK_DEMO=0 make stack`, `make restore FILE=… YES=1`; every table's
count and the card-number counters equal, the old passwords and key still good.

The only settings given are the documented `make stack` ports (so that the test runs beside other stacks)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.stack import processes
from tests.stack.test_operations import Browserless, _get

pytestmark = [pytest.mark.postgres, pytest.mark.celery_worker]

TABLES = (
    "membership_member",
    "membership_membershipapplication",
    "membership_cardcounter",
    "stations_station",
    "stations_activity",
    "stations_subsidyallocation",
    "unionhub_unionorganization",
    "auth_user",
)


def _shell_env(**extra: str) -> dict[str, str]:
    """A plain shell: none of the test run's settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "REDIS_", "CELERY_", "UNIONHUB_", "STACK_", "DJANGO_", "PYTEST", "SECRET_"))
        and k not in {"DEBUG", "PORT", "MEDIA_ROOT", "STATIC_ROOT", "BACKUP_DIR", "CI"}
    }
    return {**env, **extra}


def _clone(base: Path, name: str) -> Path:
    repo = base / name
    subprocess.run(["git", "clone", "-q", str(processes.ROOT), str(repo)], check=True, timeout=120)
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)  # `make` finds its requirements installed
    return repo


def _start(repo: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    out = open(log, "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        ["make", "stack"], cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    proc.log = out
    base = f"http://127.0.0.1:{env['PORT']}"
    processes.wait_until(
        lambda: proc.poll() is None and _get(base + "/healthz", timeout=5) == 200 or proc.poll() is not None,
        timeout=400,
        interval=1,
        what="make stack",
    )
    assert proc.poll() is None, log.read_text(errors="replace")[-4000:]
    return proc


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
        try:
            proc.wait(120)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    proc.log.close()


def _counts(pg_port: int) -> dict[str, str]:
    psql = shutil.which("psql") or "psql"
    sql = " UNION ALL ".join(f"SELECT '{t}', count(*)::text FROM {t}" for t in TABLES)
    cards = "string_agg(county_id || ':' || year || ':' || last, ',' ORDER BY county_id, year)"
    sql += f" UNION ALL SELECT 'cards', coalesce({cards}, '') FROM membership_cardcounter"
    done = subprocess.run(
        [psql, "-h", "127.0.0.1", "-p", str(pg_port), "-U", "postgres", "-tAF", "|", "unionhub", "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split("|", 1) for line in done.stdout.splitlines() if line)


def test_a_newcomer_backs_up_and_restores_beside_make_stack_and_recovers_on_a_new_machine(stack_logs):
    base = Path(tempfile.mkdtemp(prefix="unionhub-newcomer-", dir="/tmp"))
    base.chmod(0o755)  # PostgreSQL (its own user) reads its cluster under the clone
    procs = []
    try:
        first = _clone(base, "first")
        ports = {
            "PORT": str(processes.free_port()),
            "STACK_PG_PORT": str(processes.free_port()),
            "STACK_REDIS_PORT": str(processes.free_port()),
        }
        procs.append(_start(first, _shell_env(**ports), stack_logs / "first.log"))

        # A second shell, in the same directory: no settings at all.
        backup = subprocess.run(
            ["make", "backup"], cwd=first, env=_shell_env(), capture_output=True, text=True, timeout=300
        )
        assert backup.returncode == 0, backup.stdout + backup.stderr
        assert f"settings from {first}/.stack/env" in backup.stderr
        dump = Path(next(line for line in backup.stdout.splitlines() if line.endswith(".dump")))
        media = dump.with_name(dump.name.removesuffix(".dump") + "-media.tar.gz")
        assert dump.stat().st_size > 100_000 and media.exists()
        before = _counts(int(ports["STACK_PG_PORT"]))
        assert int(before["membership_member"]) > 0

        # Something goes wrong; the backup is restored beside the running stack, as the README writes it.
        psql = ["psql", "-h", "127.0.0.1", "-p", ports["STACK_PG_PORT"], "-U", "postgres", "unionhub", "-c"]
        # The activity log lost (with what refers to it: the events whose attendance it holds).
        lost = "TRUNCATE stations_activity CASCADE"
        subprocess.run([*psql, lost], check=True, capture_output=True, timeout=60)
        restore = subprocess.run(
            ["make", "restore", f"FILE=backups/{dump.name}", "YES=1"],
            cwd=first,
            env=_shell_env(),
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        assert restore.returncode == 0, restore.stdout + restore.stderr
        assert _counts(int(ports["STACK_PG_PORT"])) == before
        assert _get(f"http://127.0.0.1:{ports['PORT']}/healthz") == 200
        _stop(procs.pop())

        # A new machine: the README's recovery, literally.
        second = _clone(base, "second")
        (second / ".stack").mkdir()
        (second / "backups").mkdir()
        shutil.copy(first / ".stack" / "secret_key", second / ".stack" / "secret_key")
        (second / ".stack" / "secret_key").chmod(0o600)
        shutil.copy(dump, second / "backups")
        shutil.copy(media, second / "backups")
        ports2 = {
            "PORT": str(processes.free_port()),
            "STACK_PG_PORT": str(processes.free_port()),
            "STACK_REDIS_PORT": str(processes.free_port()),
        }
        procs.append(_start(second, _shell_env(STACK_DEMO="0", **ports2), stack_logs / "second.log"))
        restore = subprocess.run(
            ["make", "restore", f"FILE=backups/{dump.name}", "YES=1"],
            cwd=second,
            env=_shell_env(),
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        assert restore.returncode == 0, restore.stdout + restore.stderr
        assert _counts(int(ports2["STACK_PG_PORT"])) == before  # every table's count, the card counters
        assert (second / ".stack" / "secret_key").read_text() == (first / ".stack" / "secret_key").read_text()
        staff = Browserless(f"http://127.0.0.1:{ports2['PORT']}")
        staff.log_in("qinshui", "unionhub-demo-2026")  # the demo accounts came back with their passwords
        assert "沁水" in staff.get("/admin/") or "unionhub" in staff.get("/admin/")
        assert _get(f"http://127.0.0.1:{ports2['PORT']}/healthz") == 200
    finally:
        for proc in procs:
            _stop(proc)
        for log in stack_logs.glob("*.log"):
            print(f"--- {log.name} ---\n{log.read_text(errors='replace')[-3000:]}")
        shutil.rmtree(base, ignore_errors=True)
