"""The public notice (公示): the households of a county on notice now, names partly masked, no ID number."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hardship.models import Household, HouseholdStatus
from unionhub.models import Region
from unionhub.personal import mask_name


def notice_rows(*, county: str, today: dt.date | None = None) -> list[dict]:
    """What the notice shows of each household: masked name, union, layer, cause, people, the period."""
    today = today or timezone.localdate()
    households = (
        Household.objects.filter(
            county=county, status=HouseholdStatus.NOTICE, notice_starts__lte=today, notice_ends__gte=today
        )
        .select_related("union")
        .order_by("union__name", "pk")
    )
    return [
        {
            "name": mask_name(h.head_name),
            "union": h.union.name,
            "layer": h.get_layer_display(),
            "cause": h.get_cause_display(),
            "people": h.people_count,
            "starts": h.notice_starts,
            "ends": h.notice_ends,
        }
        for h in households
    ]


def notice_county(code: str) -> Region | None:
    return Region.objects.filter(code=code, level="county").first()


def counties_on_notice(*, today: dt.date | None = None) -> list[Region]:
    today = today or timezone.localdate()
    codes = Household.objects.filter(
        status=HouseholdStatus.NOTICE, notice_starts__lte=today, notice_ends__gte=today
    ).values("county")
    return list(Region.objects.filter(code__in=codes).order_by("code"))
