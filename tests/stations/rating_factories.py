"""Helpers for star ratings and subsidies: default schemes, star levels, policies, runs."""

import datetime as dt
import itertools
from decimal import Decimal

from stations.data.rating_schemes import seed_default_schemes
from stations.models import Indicator, RatingScheme, StarRating, SubsidyPolicy, SubsidyRate, SubsidyRun
from stations.models.ratings import SchemeStatus, StarChange

_serial = itertools.count(1)


def ensure_schemes() -> None:
    """The default schemes come from a data migration, which a transactional test's flush removes."""
    if not RatingScheme.objects.filter(code="rest-station", version=1).exists():
        seed_default_schemes(RatingScheme, Indicator)


def make_scheme(*, region_id=None, status=SchemeStatus.DRAFT, kinds=("rest",), thresholds=(10, 12, 14, 16, 18)):
    """A small scheme: two groups, three indicators, 20 points."""
    scheme = RatingScheme.objects.create(
        code=f"test-{next(_serial)}",
        name="测试评定标准",
        kinds=list(kinds),
        region_id=region_id,
        status=status,
        thresholds=list(thresholds),
    )
    Indicator.objects.create(
        scheme=scheme,
        group="设施",
        code="basic",
        name="基本设施",
        max_points=10,
        source="facilities_basic",
        sort_order=1,
    )
    Indicator.objects.create(
        scheme=scheme, group="活动", code="activities", name="活动开展", max_points=6, source="activities", sort_order=2
    )
    Indicator.objects.create(
        scheme=scheme, group="管理", code="management", name="日常管理", max_points=4, sort_order=3
    )
    return scheme


def give_stars(station, stars, valid_from, valid_until=None, change=StarChange.AWARDED):
    return StarRating.objects.create(
        station=station,
        stars=stars,
        valid_from=valid_from,
        valid_until=valid_until if valid_until is not None else dt.date(valid_from.year + 1, 12, 31),
        change=change,
        reason="测试",
    )


def make_policy(region_id, *, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31), rates=None, **fields):
    """A policy with rates {(kind, stars): (construction, operating)}; defaults: rest stations 1-3 stars."""
    policy = SubsidyPolicy.objects.create(
        region_id=region_id, name=f"补贴政策{next(_serial)}", starts_on=starts_on, ends_on=ends_on, **fields
    )
    rates = rates or {
        ("rest", 1): ("10000", "6000"),
        ("rest", 2): ("15000", "9000"),
        ("rest", 3): ("20000", "12000"),
    }
    for (kind, stars), (construction, operating) in rates.items():
        SubsidyRate.objects.create(
            policy=policy, kind=kind, stars=stars, construction=Decimal(construction), operating=Decimal(operating)
        )
    return policy


def make_run(policy, start=None, end=None):
    start, end = start or policy.periods()[0][0], end or policy.periods()[0][1]
    return SubsidyRun.objects.create(region_id=policy.region_id, policy=policy, period_start=start, period_end=end)
