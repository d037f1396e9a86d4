"""Separate processes of the production shape, started the way the README and deploy/supervisord.conf start them:
``celery -A unionhub worker``, ``celery -A unionhub beat`` and gunicorn, against the test database.

The test database is the one pytest-django made (``test_<name>`` on PostgreSQL); the processes get it
through ``DATABASE_URL``, so what they write the test sees and the other way round (tests that use them
run with ``transaction=True``). Every process is stopped when the test ends, and its output is kept for
the failure message."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
SECRET = "stack-test-secret-key-not-for-production-0123456789abcdefghijklmnop"


def test_database_url() -> str:
    """DATABASE_URL pointing at the database the tests use (pytest-django's test database)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def stack_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        "UNIONHUB_ENV_FILE": "none",  # never a stack's settings (.stack/env)
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("DATABASE_REPLICA_URL", None)  # the run's replica serves its own database, not the test database
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """One child process with its output in a file; ``stop`` ends it (gracefully, then by force)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.popen.returncode}):\n{self.output()[-4000:]}")
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} did not print {text!r} within {timeout} s:\n{self.output()[-4000:]}")

    def kill(self) -> None:
        """``kill -9`` the whole process group (the worker's children too)."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def stop(self, timeout: float = 20) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


def start_worker(
    log_dir: Path, *, name: str = "worker", env: dict[str, str] | None = None, beat: bool = False
) -> Process:
    """``celery -A unionhub worker``, as the README and deploy/supervisord.conf start it (one process, so that a test
    can tell what it did)."""
    worker = Process(
        name,
        [str(BIN / "celery"), "-A", "unionhub", "worker", "-l", "info", "--concurrency", "1", "-n", f"{name}@%h"]
        + (["-B", "-s", str(log_dir / "beat-schedule")] if beat else []),
        env or stack_env(),
        log_dir,
    )
    worker.wait_for_output("ready.", timeout=90)
    return worker


def start_beat(log_dir: Path, *, env: dict[str, str] | None = None) -> Process:
    beat = Process(
        "beat",
        [
            str(BIN / "celery"),
            "-A",
            "unionhub",
            "beat",
            "-l",
            "info",
            "--max-interval",
            "1",
            "-s",
            str(log_dir / "beat"),
        ],
        env or stack_env(),
        log_dir,
    )
    beat.wait_for_output("beat: Starting", timeout=60)
    return beat


def start_web(
    log_dir: Path, *, env: dict[str, str] | None = None, workers: int = 2, threads: int = 4
) -> tuple[Process, str]:
    """gunicorn as in deploy/supervisord.conf, on a free loopback port; returns the process and its base URL."""
    port = free_port()
    web = Process(
        "web",
        [
            str(BIN / "gunicorn"),
            "unionhub.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            str(threads),
            # Its own control socket: never the one every gunicorn of this user shares (~/.gunicorn/).
            "--control-socket",
            str(log_dir / f"gunicorn-{port}.ctl"),
        ],
        env or stack_env(),
        log_dir,
    )
    web.wait_for_output("Booting worker", timeout=60)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return web, base
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"gunicorn did not listen on {port}:\n{web.output()[-4000:]}")


def purge_broker() -> None:
    """Drop messages left in the broker by an earlier test (a killed worker's, say)."""
    from unionhub.celery import app

    app.control.purge()


def wait_until(predicate, *, timeout: float = 60, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


def broker_url() -> str:
    return settings.CELERY_BROKER_URL


def celery_call(task: str, env: dict[str, str]) -> None:
    """``celery -A unionhub call TASK``: send a task as an operator would (to the broker of ``env``)."""
    subprocess.run(
        [str(BIN / "celery"), "-A", "unionhub", "call", task],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
