"""Job sheets: each print of a station's current vacancies is numbered - the year's issue (第N期) and the
edition (版) - and recorded with what it listed. A new issue when the list changed since the last one; the
same list printed again (another size, more copies) is a new edition of the same issue."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from employment.choices import SheetSize
from employment.models import JobSheet, Vacancy
from unionhub.scoping import in_scope


def sheet_print(*, station, user, size: str = SheetSize.A4, today: dt.date | None = None) -> JobSheet:
    today = today or timezone.localdate()
    if user is not None and not in_scope(station, user):
        raise PermissionDenied
    current = sorted(Vacancy.objects.filter(station=station).current(today).values_list("pk", flat=True))
    with transaction.atomic():
        last = (
            JobSheet.objects.select_for_update()
            .filter(station=station, year=today.year)
            .order_by("-issue", "-edition")
            .first()
        )
        same = last is not None and sorted(last.vacancies.values_list("pk", flat=True)) == current
        if last is None:
            issue, edition = 1, 1
        elif same:
            issue, edition = last.issue, last.edition + 1
        else:
            issue, edition = last.issue + 1, 1
        sheet = JobSheet.objects.create(
            station=station, year=today.year, issue=issue, edition=edition, size=size, printed_by=user
        )
        sheet.vacancies.set(current)
    return sheet
