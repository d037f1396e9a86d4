"""The layout that prevents whole classes of bug: every task module is imported by its app's tasks package
(so a worker started the documented way registers it), and no module grows past the size a reader holds."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("unionhub", "stations", "membership", "casework", "dashboard")


def test_every_task_module_is_imported_by_its_package():
    """A module under tasks/ that its package does not import would never be registered by a worker."""
    for package in APPS:
        tasks = ROOT / package / "tasks"
        if not tasks.is_dir():
            continue
        init = (tasks / "__init__.py").read_text()
        for module in sorted(tasks.glob("*.py")):
            if module.stem != "__init__":
                assert module.stem in init, f"{package}/tasks/__init__.py does not import {module.stem}"
