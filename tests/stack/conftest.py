"""Fixtures for the tests of the production shape: real web (gunicorn), worker and beat processes on the
test database, the broker and Redis of the run (``.ci/with-services``)."""

from __future__ import annotations

import subprocess

import pytest

from tests.stack import processes


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The production static files (manifest storage), collected once per run for the web processes."""
    root = tmp_path_factory.mktemp("static")
    env = processes.stack_env(STATIC_ROOT=str(root))
    env.pop("DATABASE_URL")  # collectstatic needs no database
    subprocess.run(
        [str(processes.BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=processes.ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return root


@pytest.fixture
def stack_logs(tmp_path):
    path = tmp_path / "stack"
    path.mkdir()
    return path


@pytest.fixture
def media_root(tmp_path, settings):
    """One media folder for the test and its processes (uploaded rosters)."""
    path = tmp_path / "media"
    path.mkdir()
    settings.MEDIA_ROOT = path
    return path


@pytest.fixture
def stack_env(media_root, static_root):
    """The environment of every process of one test; tests add to it before starting processes."""
    return processes.stack_env(
        MEDIA_ROOT=str(media_root),
        STATIC_ROOT=str(static_root),
        # A small limit so that test-sized bulk decisions take the background path (rosters always do).
        MEMBERSHIP_BULK_SYNC_LIMIT="3",
    )


@pytest.fixture
def started(stack_logs):
    """Processes started by the test, stopped at its end with their output shown on failure."""
    procs: list[processes.Process] = []
    yield procs
    for proc in reversed(procs):
        proc.stop()
        print(f"--- {proc.name} output (tail) ---\n{proc.output()[-5000:]}")


@pytest.fixture
def worker(stack_logs, stack_env, started):
    """A Celery worker process started the documented way."""
    processes.purge_broker()
    proc = processes.start_worker(stack_logs, env=stack_env)
    started.append(proc)
    return proc


@pytest.fixture
def web(stack_logs, stack_env, started):
    """gunicorn as in deploy/supervisord.conf; returns its base URL."""
    proc, base = processes.start_web(stack_logs, env=stack_env)
    started.append(proc)
    return base


@pytest.fixture(autouse=True)
def _real_broker():
    """These tests send to the real broker: nothing runs eagerly in the test process."""
    from unionhub.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def desk(browser):
    """A desktop-sized page, as county staff use the admin."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def log_in(page, base: str, username: str, password: str = "pw") -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/**")


@pytest.fixture(autouse=True)
def _real_passwords(settings):
    """The processes check passwords with the production hashers, so the personas get real hashes."""
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
