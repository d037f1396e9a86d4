"""No hidden cycles: a project module imported inside a function or method hides a dependency from
import-linter's readers and from whoever reads the top of the file, and usually a cycle. Every such import
is listed here with its reason; a new one fails until it is moved to the top of its module or listed.

The layers and the forbidden imports themselves are import-linter's contracts (pyproject.toml, `make lint`)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = {"unionhub", "stations", "membership", "casework", "hardship", "outreach", "employment", "dashboard", "api"}
SKIPPED_DIRECTORIES = {"tests", "bench", "migrations", ".venv", "static", "staticfiles", "node_modules"}

# (file, function, imported module) -> why it is imported there and not at the top of the module.
READY = "AppConfig.ready: apps.py is imported before the app registry is ready; models and their importers load here"
ALLOWED: dict[tuple[str, str, str], str] = {
    ("unionhub/apps.py", "UnionhubConfig.ready", "unionhub"): READY + "; tasks registers the core's job kinds",
    ("unionhub/apps.py", "_sync_roles", "unionhub.roles"): (
        "the post_migrate handler defined in apps.py: roles imports the models, not importable with apps.py"
    ),
    ("stations/apps.py", "StationsConfig.ready", "stations"): READY + "; tasks registers the app's job kinds",
    ("stations/apps.py", "StationsConfig.ready", "stations.models"): READY,
    ("stations/apps.py", "StationsConfig.ready", "unionhub.db.county"): READY,
    ("membership/apps.py", "MembershipConfig.ready", "membership"): READY + "; tasks registers the app's job kinds",
    ("membership/apps.py", "MembershipConfig.ready", "membership.models"): READY,
    ("membership/apps.py", "MembershipConfig.ready", "membership.services.members"): READY,
    ("membership/apps.py", "MembershipConfig.ready", "unionhub.personal"): READY,
    ("membership/apps.py", "MembershipConfig.ready", "membership.views.join"): READY,
    ("membership/apps.py", "MembershipConfig.ready", "stations.models"): READY,
    ("membership/apps.py", "MembershipConfig.ready", "unionhub"): READY,
    ("membership/apps.py", "MembershipConfig.ready", "unionhub.db.county"): READY,
    ("membership/apps.py", "MembershipConfig.ready", "unionhub.models.regions"): READY,
    ("casework/apps.py", "CaseworkConfig.ready", "casework"): READY + "; tasks registers the app's job kinds",
    ("casework/apps.py", "CaseworkConfig.ready", "unionhub"): READY + "; page hooks: the /cases/ links",
    ("casework/apps.py", "CaseworkConfig.ready", "casework.selectors.reach"): READY + "; a desk's union as its unit",
    ("casework/apps.py", "CaseworkConfig.ready", "unionhub.people"): READY + "; a desk's union as its unit",
    ("stations/apps.py", "StationsConfig.ready", "stations.selectors.registry"): READY + "; a manager's station",
    ("stations/apps.py", "StationsConfig.ready", "unionhub.people"): READY + "; a manager's station as unit",
    ("unionhub/apps.py", "UnionhubConfig.ready", "unionhub.people"): READY + "; a user reads as name and unit",
    ("dashboard/apps.py", "DashboardConfig.ready", "dashboard"): READY + "; tasks registers the app's job kinds",
    ("dashboard/apps.py", "DashboardConfig.ready", "dashboard.workbench"): READY,
    ("dashboard/apps.py", "DashboardConfig.ready", "dashboard.menu"): READY,
    ("dashboard/apps.py", "DashboardConfig.ready", "unionhub"): READY,
    ("dashboard/apps.py", "DashboardConfig.ready", "unionhub.adminsite"): READY,
    ("hardship/apps.py", "HardshipConfig.ready", "hardship"): READY + "; tasks registers the app's job kinds",
    ("outreach/apps.py", "OutreachConfig.ready", "outreach"): READY + "; tasks registers the app's job kinds",
    ("employment/apps.py", "EmploymentConfig.ready", "employment"): READY + "; tasks registers the app's job kinds",
    ("api/apps.py", "ApiConfig.ready", "api"): READY + "; tasks registers the app's job kinds",
    ("api/apps.py", "ApiConfig.ready", "api.routers"): READY + "; the listed models whose deletions are recorded",
    ("api/apps.py", "ApiConfig.ready", "api.services.deletions"): READY + "; tombstones for the listed models",
    ("api/apps.py", "ApiConfig.ready", "api.selectors.finder"): READY + "; station cards dropped on a change",
    # Left for the owners of this file (being changed in parallel).
    ("employment/apps.py", "EmploymentConfig.ready", "unionhub"): READY + "; page hooks: a station's vacancies",
    ("outreach/apps.py", "OutreachConfig.ready", "outreach.hooks"): READY + "; page hooks: the dashboard's targets",
    ("outreach/apps.py", "OutreachConfig.ready", "unionhub"): READY,
    ("hardship/apps.py", "HardshipConfig.ready", "unionhub"): READY + "; page hooks: apply, the worker's file",
}


def project_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if not SKIPPED_DIRECTORIES.intersection(relative.parts):
            yield relative


def function_level_imports(relative: Path):
    """(function, module) for every import of a project module inside a function or method of the file."""
    tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"), str(relative))

    def visit(node, scope: list[str], in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from visit(child, [*scope, getattr(child, "name", "<lambda>")], True)
            elif isinstance(child, ast.ClassDef):
                yield from visit(child, [*scope, child.name], in_function)
            elif isinstance(child, ast.Import | ast.ImportFrom) and in_function:
                if isinstance(child, ast.ImportFrom):
                    modules = [child.module or ""] if not child.level else ["." * child.level + (child.module or "")]
                else:
                    modules = [alias.name for alias in child.names]
                for module in modules:
                    if module.startswith(".") or module.split(".")[0] in PROJECT:
                        yield ".".join(scope), module
            else:
                yield from visit(child, scope, in_function)

    yield from visit(tree, [], False)


def test_no_project_module_is_imported_inside_a_function_unless_listed():
    found = {
        (str(relative.as_posix()), function, module)
        for relative in project_files()
        for function, module in function_level_imports(relative)
    }
    unlisted = sorted(found - set(ALLOWED))
    assert not unlisted, (
        "Imports of project modules inside functions (move them to the top of the module; a cycle that forces "
        "one is to be broken, not hidden; else list it with its reason in ALLOWED):\n"
        + "\n".join(f"  {path}: {function}: {module}" for path, function, module in unlisted)
    )


def test_the_scan_sees_imports_inside_functions_and_methods(tmp_path, monkeypatch):
    """The scan itself: a function, a method and a nested function are seen; module level is not."""
    module = tmp_path / "sample.py"
    module.write_text(
        "from unionhub import scoping\n"
        "def f():\n    from stations.models import Station\n"
        "class A:\n    def m(self):\n        import membership.services\n"
        "        def inner():\n            from . import sibling\n"
        "def g():\n    import json\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert sorted(function_level_imports(Path("sample.py"))) == [
        ("A.m", "membership.services"),
        ("A.m.inner", "."),
        ("f", "stations.models"),
    ]
