"""Fixtures for the tests of the production shape: real worker, beat and web processes."""

from __future__ import annotations

import pytest

from tests.stack import processes


@pytest.fixture
def stack_logs(tmp_path):
    path = tmp_path / "stack"
    path.mkdir()
    return path


@pytest.fixture
def worker(stack_logs):
    """A Celery worker process started the documented way; its output shows when the test fails."""
    processes.purge_broker()
    proc = processes.start_worker(stack_logs)
    yield proc
    proc.stop()
    print(f"--- {proc.name} output (tail) ---\n{proc.output()[-6000:]}")


@pytest.fixture(autouse=True)
def _real_broker(request):
    """These tests send to the real broker: nothing runs eagerly in the test process."""
    from unionhub.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous
