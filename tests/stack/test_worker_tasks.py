"""The worker started the documented way registers exactly the tasks the code defines."""

from __future__ import annotations

import importlib
import json
import subprocess

import pytest

from tests.stack import processes

APPS = ("unionhub", "stations", "membership", "dashboard", "casework")

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def defined_tasks() -> set[str]:
    """Every task the source defines: import every module of every app, then read Celery's registry."""
    from unionhub.celery import app

    for package in APPS:
        root = processes.ROOT / package
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(processes.ROOT).with_suffix("")
            if "migrations" in relative.parts or "management" in relative.parts:
                continue
            importlib.import_module(".".join(relative.parts).removesuffix(".__init__"))
    return {name for name in app.tasks if not name.startswith("celery.")}


def registered_by(worker) -> set[str]:
    result = subprocess.run(
        [str(processes.BIN / "celery"), "-A", "unionhub", "inspect", "registered", "--json", "-d", f"worker@{_host()}"],
        cwd=processes.ROOT,
        env=processes.stack_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    replies = json.loads(result.stdout.strip().splitlines()[-1])
    names = {line.split()[0] for reply in replies.values() for line in reply}
    return {name for name in names if not name.startswith("celery.")}


def _host() -> str:
    import socket

    return socket.gethostname()


def test_it_registers_every_task_the_code_defines(worker):
    defined = defined_tasks()
    assert {"membership.roster_check", "membership.roster_import", "stations.subsidy_run"} <= defined
    assert registered_by(worker) == defined
