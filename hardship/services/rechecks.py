"""The yearly re-check (动态管理): one re-check per household on file and year, due by a date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hardship.models import Household, HouseholdEvent, HouseholdStatus, Recheck, Step
from hardship.services import notify
from unionhub.models import UnionOrganization

RECHECK_JOB = "hardship.rechecks_open"


def rechecks_open(*, year: int | None = None, due_on: dt.date | None = None, county: str | None = None) -> int:
    """Open the year's re-check of every household on file that has none yet: one insert, idempotent."""
    today = timezone.localdate()
    year = year or today.year
    due_on = due_on or dt.date(year, 12, 31)
    households = Household.objects.filter(status=HouseholdStatus.ON_FILE).exclude(rechecks__year=year)
    if county:
        households = households.filter(county=county)
    made = Recheck.objects.bulk_create(
        [Recheck(household_id=pk, year=year, due_on=due_on) for pk in households.values_list("pk", flat=True)],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return len(made)


@transaction.atomic
def recheck_done(*, recheck: Recheck, note: str, user=None, on: dt.date | None = None) -> Recheck:
    if not note.strip():
        raise ValidationError({"note": _("Write down what the re-check found.")})
    recheck.done_on = on or timezone.localdate()
    recheck.note = note
    recheck.save()
    Household.objects.filter(pk=recheck.household_id).update(
        recheck_due=dt.date(recheck.year + 1, recheck.due_on.month, min(recheck.due_on.day, 28))
    )
    HouseholdEvent.objects.create(household_id=recheck.household_id, step=Step.RECHECK, by=user, note=note)
    return recheck


RECHECK_REMIND_JOB = "hardship.rechecks_remind"
REMIND_DAYS_BEFORE = 14


def _remind(rechecks, *, mark: str, today: dt.date, overdue: bool) -> dict[str, int]:
    """One message per union and due date over the re-checks not yet marked, then the marks: a second run
    finds nothing to send (and the message key guards a run interrupted between the two)."""
    unions: dict[tuple[int, dt.date], list[int]] = {}
    for pk, union_id, due_on in rechecks.filter(**{f"{mark}__isnull": True}).values_list(
        "pk", "household__union_id", "due_on"
    ):
        unions.setdefault((union_id, due_on), []).append(pk)
    sent = 0
    by_pk = UnionOrganization.objects.in_bulk({union_id for union_id, _due in unions})
    for (union_id, due_on), pks in unions.items():
        with transaction.atomic():
            marked = Recheck.objects.filter(pk__in=pks, **{f"{mark}__isnull": True}).update(**{mark: today})
            if marked:
                key = f"hardship.{mark}:{union_id}:{due_on}:{today}"
                sent += notify.rechecks_tell(union=by_pk[union_id], count=marked, due=due_on, overdue=overdue, key=key)
    return {"rechecks": sum(len(pks) for pks in unions.values()), "messages": sent}


def rechecks_remind(*, today: dt.date | None = None, days_before: int = REMIND_DAYS_BEFORE) -> dict[str, int]:
    """Remind the grassroots unions' handlers (or the county federation's) of the re-checks due within
    ``days_before`` days, and once more of those overdue. Idempotent: each re-check is reminded once of
    each, whatever how often the job runs."""
    today = today or timezone.localdate()
    open_ = Recheck.objects.filter(done_on__isnull=True, household__status=HouseholdStatus.ON_FILE)
    soon = _remind(
        open_.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days_before)),
        mark="reminded_on",
        today=today,
        overdue=False,
    )
    late = _remind(open_.filter(due_on__lt=today), mark="overdue_reminded_on", today=today, overdue=True)
    return {"due_soon": soon["rechecks"], "overdue": late["rechecks"], "messages": soon["messages"] + late["messages"]}
