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


# --- star ratings and subsidies ----------------------------------------------------------------------------

import datetime as _dt  # noqa: E402
from decimal import Decimal as _Decimal  # noqa: E402

from stations.models import (  # noqa: E402
    Evaluation,
    PlaqueEvent,
    RatingScheme,
    StarRating,
    StationRating,
    SubsidyAllocation,
    SubsidyPolicy,
    SubsidyRun,
)
from tests.stations.rating_factories import ensure_schemes, give_stars, make_policy, make_run, make_scheme  # noqa: E402


def evaluation_in(county, people):
    ensure_schemes()
    station = station_in(county, people)
    return Evaluation.objects.create(
        station=station, scheme=RatingScheme.objects.get(code="rest-station", version=1), inspectors=f"巡查员{county}"
    )


def star_in(county, people):
    return give_stars(station_in(county, people), 3, _dt.date.today() - _dt.timedelta(days=30))


def plaque_in(county, people):
    return PlaqueEvent.objects.create(
        station=station_in(county, people), action="awarded", number=f"{county}-P-{next(_serial)}", delist=False
    )


def worker_rating_in(county, people):
    n = next(_serial)
    return StationRating.objects.create(
        station=station_in(county, people),
        month=_dt.date.today().replace(day=1),
        score=4,
        comment=f"很好{county}-{n}",
        mobile_hash=f"{county}{n}",
        mobile_masked="138****0000",
    )


def run_in(county, people):
    year = 2000 + next(_serial)
    policy = make_policy(county, starts_on=_dt.date(year, 1, 1), ends_on=_dt.date(year, 12, 31))
    return make_run(policy)


def allocation_in(county, people):
    run = run_in(county, people)
    return SubsidyAllocation.objects.create(
        run=run,
        station=station_in(county, people),
        period_start=run.period_start,
        period_end=run.period_end,
        subsidy_type="operating",
        stars=3,
        amount=_Decimal("12000.00"),
        breakdown="三星 → 12,000",
    )


register(ScopeCase(RatingScheme, lambda county, people: make_scheme(region_id=county), "region", lambda s: s.name))
register(ScopeCase(Evaluation, evaluation_in, None, lambda e: e.inspectors, station_scoped=True))
register(ScopeCase(StarRating, star_in, None, lambda r: str(r.station), station_scoped=True))
register(ScopeCase(PlaqueEvent, plaque_in, None, lambda p: p.number, station_scoped=True))
register(ScopeCase(StationRating, worker_rating_in, None, lambda r: r.comment, station_scoped=True))
register(
    ScopeCase(
        SubsidyPolicy,
        lambda county, people: make_policy(county, starts_on=_dt.date(2030, 1, 1), ends_on=_dt.date(2030, 12, 31)),
        "region",
        lambda p: p.name,
    )
)
register(ScopeCase(SubsidyRun, run_in, None, str))
register(ScopeCase(SubsidyAllocation, allocation_in, None, lambda a: a.station.name, station_scoped=True))
