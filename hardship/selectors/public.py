"""What the public application pages read: the counties served, a station's county, the step of an
application as the worker may see it (no staff notes)."""

from __future__ import annotations

from django.db.models.functions import Substr

from hardship.models import Household, HouseholdStatus
from membership.choices import JOINABLE_KINDS
from stations.selectors.registry import public_stations
from unionhub.models import Region, UnionOrganization

# The steps the worker sees, in order; an application is at the first one it has not passed.
PUBLIC_STEPS = [
    HouseholdStatus.APPLIED,
    HouseholdStatus.VISITED,
    HouseholdStatus.REVIEWED,
    HouseholdStatus.NOTICE,
    HouseholdStatus.ON_FILE,
]


def served_counties() -> dict[str, str]:
    """Counties with a grassroots union (or industry federation) a worker can apply through: code → name."""
    codes = (
        UnionOrganization.objects.filter(kind__in=JOINABLE_KINDS, is_holding_pool=False)
        .annotate(county_code=Substr("region_id", 1, 6))
        .values_list("county_code", flat=True)
        .distinct()
    )
    return dict(Region.objects.filter(code__in=list(codes)).order_by("code").values_list("code", "name"))


def station_county(code: str) -> tuple[object, str | None]:
    """(the station a QR link or the station page names, its county) — (None, None) for an unknown one."""
    station = public_stations().filter(code=code[:30]).first() if code else None
    return station, (station.region_id[:6] if station else None)


def application_steps(household: Household) -> list[dict]:
    """Each step with whether it is done, the current one, or to come (a rejected or left file: none to come)."""
    status = household.status
    reached = PUBLIC_STEPS.index(status) if status in PUBLIC_STEPS else -1
    return [
        {"label": step.label, "done": i < reached or (i == reached == len(PUBLIC_STEPS) - 1), "current": i == reached}
        for i, step in enumerate(PUBLIC_STEPS)
    ]
