"""The jobs: a cycle computed as a job, the yearly re-checks opened once per household; the workbench's
to-dos."""

import datetime as dt

import pytest

from dashboard.selectors.workbench import workbench_items
from hardship.models import Cycle, HouseholdStatus, Recheck
from hardship.services import cycle_create, cycle_start, rechecks_open
from hardship.tasks.cycles import cycle_compute as cycle_task
from tests.hardship.factories import household, programme
from unionhub.models import Job

pytestmark = pytest.mark.django_db


def test_a_cycle_is_computed_as_a_job(regions, alice, django_capture_on_commit_callbacks):
    household(), household()
    cycle = cycle_create(
        programme=programme(), name="Q3", period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 9, 30)
    )
    job = cycle_start(cycle=cycle, user=alice)
    assert Cycle.objects.get().status == "computing"
    cycle_task.handler(job, lambda *args: None)
    cycle = Cycle.objects.get()
    assert (cycle.status, cycle.entitlement_count, str(cycle.total)) == ("proposed", 2, "600.00")
    assert Job.objects.filter(kind="hardship.cycle_compute").exists()


def test_the_yearly_recheck_opens_one_per_household_on_file(regions):
    household(), household(), household(status=HouseholdStatus.LEFT)
    assert rechecks_open(year=2026, due_on=dt.date(2026, 12, 20)) == 2
    assert rechecks_open(year=2026, due_on=dt.date(2026, 12, 20)) == 0
    assert Recheck.objects.count() == 2


def test_the_workbench_lists_the_registers_to_dos(regions, alice, bob):
    today = dt.date.today()
    household(status=HouseholdStatus.APPLIED, filed_on=None)
    household(
        status=HouseholdStatus.NOTICE,
        notice_starts=today - dt.timedelta(days=6),
        notice_ends=today + dt.timedelta(days=1),
    )
    counts = {item.label: item.count for item in workbench_items(alice)}
    assert counts["办理中的困难帮扶申请"] == 1 and counts["即将期满的公示"] == 1
    assert {item.label: item.count for item in workbench_items(bob)}["办理中的困难帮扶申请"] == 0
