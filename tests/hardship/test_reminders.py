"""Re-check reminders: the grassroots union's handlers (or, with none, the county federation's) are told of
the re-checks due within the days set and once more when they are overdue; a second run sends nothing twice.
The job is in the beat schedule the migration creates."""

import datetime as dt

import pytest
from django_celery_beat.models import PeriodicTask

from hardship.models import HouseholdStatus, Recheck
from hardship.services.rechecks import RECHECK_REMIND_JOB, rechecks_remind
from hardship.tasks.cycles import rechecks_remind as remind_task
from tests.casework.factories import handler_for
from tests.factories import UnionOrganizationFactory, UserFactory
from tests.hardship.factories import grassroots, household
from unionhub.models import Message, OrganizationKind

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 10)


def recheck(home, due_on):
    return Recheck.objects.create(household=home, year=2026, due_on=due_on)


@pytest.fixture
def union(regions):
    made = grassroots("140521")
    handler_for(made, UserFactory(username="chair", email="chair@example.cn"))
    return made


def emails(template):
    return sorted(Message.objects.filter(template=template, channel="email").values_list("recipient", flat=True))


def test_due_soon_and_overdue_are_each_told_once(union):
    soon = [recheck(household(union=union), dt.date(2026, 12, 20)) for _ in range(2)]
    late = recheck(household(union=union), dt.date(2026, 12, 1))
    recheck(household(union=union), dt.date(2027, 3, 1))  # not yet
    recheck(household(union=union, status=HouseholdStatus.LEFT), dt.date(2026, 12, 1))  # left: no re-check
    done = recheck(household(union=union), dt.date(2026, 12, 12))
    Recheck.objects.filter(pk=done.pk).update(done_on=TODAY)
    assert rechecks_remind(today=TODAY) == {"due_soon": 2, "overdue": 1, "messages": 2}
    [due] = Message.objects.filter(template="hardship.rechecks_due", channel="email")
    assert due.recipient == "chair@example.cn" and "2 户" in due.text and union.name in due.text
    [overdue] = Message.objects.filter(template="hardship.rechecks_overdue", channel="email")
    assert "逾期" in overdue.text and "1 户" in overdue.text
    assert all(Recheck.objects.get(pk=r.pk).reminded_on == TODAY for r in soon)
    assert Recheck.objects.get(pk=late.pk).overdue_reminded_on == TODAY
    # A second run, the same day or the next: nothing sent twice.
    assert rechecks_remind(today=TODAY)["messages"] == 0
    assert rechecks_remind(today=TODAY + dt.timedelta(days=1))["messages"] == 0
    assert Message.objects.filter(template__startswith="hardship.rechecks", channel="email").count() == 2
    # Once the due date has passed, the soon-due ones are reminded as overdue (once).
    assert rechecks_remind(today=dt.date(2026, 12, 21)) == {"due_soon": 0, "overdue": 2, "messages": 1}


def test_a_union_with_no_desk_is_covered_by_the_county_federation(regions):
    county = UnionOrganizationFactory(kind=OrganizationKind.COUNTY_FEDERATION, region_id="140521", credit_code="")
    handler_for(county, UserFactory(username="desk", email="desk@example.cn"))
    recheck(household(), dt.date(2026, 12, 1))
    rechecks_remind(today=TODAY)
    assert emails("hardship.rechecks_overdue") == ["desk@example.cn"]


def test_the_job_runs_the_reminders(union):
    recheck(household(union=union), dt.date.today() - dt.timedelta(days=3))
    assert remind_task.handler(None, lambda *args: None)["overdue"] == 1


@pytest.mark.usefixtures("beat_schedule")
def test_the_reminders_are_in_the_beat_schedule():
    task = PeriodicTask.objects.get(task=RECHECK_REMIND_JOB)
    assert task.enabled and task.crontab.hour == "8"
