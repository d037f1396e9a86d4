"""Scoping-matrix cases for the stations app (see tests/scope_cases.py)."""

import itertools

from stations.models import (
    Activity,
    ActivityKind,
    CoverageTarget,
    Facility,
    Rectification,
    Service,
    Station,
    VisitorCount,
)
from tests.factories import QINSHUI, TOWN_OF
from tests.scope_cases import ScopeCase, register
from tests.stations.factories import ActivityFactory, RectificationFactory, StationFactory, VisitorCountFactory

_serial = itertools.count(1)


def station_in(county, people):
    """A station in the county; dave manages the one in 沁水县."""
    managers = [people["dave"]] if county == QINSHUI else []
    return StationFactory(region_id=TOWN_OF[county], managers=managers)


def catalogue_case(model):
    def make(county, people):
        n = next(_serial)
        return model.objects.create(
            code=f"{model._meta.model_name}-{county}-{n}", name=f"自建{county}-{n}", region_id=county
        )

    return ScopeCase(model, make, "region", lambda o: o.name)


for catalogue in (Facility, Service, ActivityKind):
    register(catalogue_case(catalogue))

register(ScopeCase(Station, station_in, "region", lambda s: s.name, station_scoped=True))
register(
    ScopeCase(
        Activity,
        lambda county, people: ActivityFactory(station=station_in(county, people)),
        "station",
        lambda a: a.title,
        station_scoped=True,
    )
)
register(
    ScopeCase(
        VisitorCount,
        lambda county, people: VisitorCountFactory(station=station_in(county, people)),
        "station",
        lambda v: str(v.station_id),
        station_scoped=True,
    )
)
register(
    ScopeCase(
        Rectification,
        lambda county, people: RectificationFactory(station=station_in(county, people)),
        "station",
        lambda r: r.findings,
        station_scoped=True,
    )
)
register(
    ScopeCase(
        CoverageTarget,
        lambda county, people: CoverageTarget.objects.create(region_id=county, year=2027, kind="labour", target=3),
        "region",
        lambda t: t.region_id,
    )
)
