"""The yearly re-check (动态管理): one re-check per household on file and year, due by a date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hardship.models import Household, HouseholdEvent, HouseholdStatus, Recheck, Step

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
