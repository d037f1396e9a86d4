"""What the public application pages read: the counties served, a station's county, the step of an
application as the worker may see it (no staff notes)."""

from __future__ import annotations

from hardship.models import Household, HouseholdStatus
from stations.selectors.registry import public_stations
from unionhub.models import OrganizationKind, UnionOrganization

# The steps the worker sees, in order; an application is at the first one it has not passed.
PUBLIC_STEPS = [
    HouseholdStatus.APPLIED,
    HouseholdStatus.VISITED,
    HouseholdStatus.REVIEWED,
    HouseholdStatus.NOTICE,
    HouseholdStatus.ON_FILE,
]


def served_counties() -> dict[str, str]:
    """Counties with a county federation to take applications: code → name."""
    rows = UnionOrganization.objects.filter(kind=OrganizationKind.COUNTY_FEDERATION).select_related("region")
    return {union.region_id[:6]: union.region.name for union in rows.order_by("region_id")}


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
