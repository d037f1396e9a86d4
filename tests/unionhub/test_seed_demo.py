"""seed_demo is idempotent in data and in history: a second run writes no row and no history row."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=False)

APPS = ("unionhub", "stations", "membership", "auth")


def row_counts() -> dict[str, int]:
    """Every table of the domain apps, history tables included (simple-history's Historical… models)."""
    return {m._meta.label: m.objects.count() for label in APPS for m in apps.get_app_config(label).get_models()}


def snapshot() -> dict:
    from stations.models import Station

    return {
        code: (phone, tuple(sorted(facilities)))
        for code, phone, facilities in (
            (s.code, s.phone, s.facilities.values_list("code", flat=True)) for s in Station.objects.all()
        )
    }


def test_a_second_seed_demo_writes_nothing(monkeypatch):
    from unionhub.management.commands import seed_demo

    # casework's year of 4,976 cases has its own idempotency test (tests/casework/test_demo.py).
    monkeypatch.setattr(seed_demo, "DEMO_MODULES", ["stations.demo", "membership.demo"])
    call_command("seed_demo", stdout=io.StringIO())
    before, stations_before = row_counts(), snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    after = row_counts()
    changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
    assert not changed, changed
    assert snapshot() == stations_before


def test_seed_demo_restores_the_shipped_catalogues_a_flush_removed(monkeypatch):
    """A transactional test (or an operator's flush) empties the tables the data migrations filled."""
    from stations.models import Activity, ActivityKind, Facility, Service
    from unionhub.management.commands import seed_demo

    ActivityKind.objects.all().delete()
    Facility.objects.all().delete()
    Service.objects.all().delete()
    monkeypatch.setattr(seed_demo, "DEMO_MODULES", ["stations.demo"])
    call_command("seed_demo", stdout=io.StringIO())
    assert ActivityKind.objects.filter(region__isnull=True).exists()
    assert Activity.objects.exists()
