"""Lists are read through selectors, below the admin: no application code builds a request (``django.test``'s
RequestFactory) or reaches into ``admin.site`` to reuse a changelist, and the changelists of the listable models
read their scope through their list selector's scoped base (one place)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.contrib import admin

from casework.selectors.lists import cases_reached
from casework.selectors.reach import requests_reached
from membership.models import Member, MembershipApplication
from membership.selectors.lists import applications_reached, members_reached
from stations.models import Activity, Evaluation, Station, SubsidyAllocation
from stations.selectors.lists import activities_reached, allocations_reached, evaluations_reached, stations_reached

ROOT = Path(__file__).resolve().parents[2]
APPS = ("unionhub", "stations", "membership", "casework", "dashboard")


def _modules(*parts: str):
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            if not parts or any(part in relative.parts or relative.stem == part for part in parts):
                yield relative, ast.parse(path.read_text(), str(relative))


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_application_code_imports_django_test():
    """A request built by hand (RequestFactory) to reuse a view's logic means the logic sits in the wrong layer."""
    offenders = [
        f"{path}: {name}"
        for path, tree in _modules()
        for name in _imports(tree)
        if name == "django.test" or name.startswith("django.test.")
    ]
    assert not offenders


def test_services_selectors_and_filtersets_never_reach_the_admin():
    """Below the admin: neither Django's admin package nor its site registry (import-linter checks the apps' own
    admin packages; it cannot forbid an external subpackage such as ``django.contrib.admin``)."""
    offenders = []
    for path, tree in _modules("services", "selectors", "filtersets", "lists", "search", "scoping"):
        if "admin" in path.parts:
            continue
        offenders += [f"{path}: {name}" for name in _imports(tree) if name.startswith("django.contrib.admin")]
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "_registry":
                offenders.append(f"{path}: ._registry")
    assert not offenders


@pytest.mark.parametrize(
    ("model", "base"),
    [
        (Member, members_reached),
        (MembershipApplication, applications_reached),
        (Station, stations_reached),
        (Activity, activities_reached),
        (Evaluation, evaluations_reached),
        (SubsidyAllocation, allocations_reached),
    ],
)
def test_each_listable_changelist_reads_its_selectors_scoped_base(model, base):
    assert admin.site._registry[model].scoped_base is base


def test_requests_and_cases_are_read_through_casework_selectors():
    from casework.admin.base import RequestReachAdmin
    from casework.models import MediationCase

    assert admin.site._registry[MediationCase].scoped_base is cases_reached
    assert "requests_reached" in RequestReachAdmin.get_queryset.__code__.co_names
    assert requests_reached  # the requests' scoped base (region, station, handler paths)
