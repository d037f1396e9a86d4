"""Demo star ratings and subsidies for 沁水县: a year of approved evaluations with a spread of star levels,
workers' ratings (one station rated poorly), a subsidy policy for last year and this one (quarterly, with a
county budget cap), and a computed run for the last completed quarter. Idempotent: runs after
``stations.demo`` and leaves what it already made alone (a proposed run is recomputed)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from stations.choices import StationStatus
from stations.data.rating_schemes import seed_default_schemes
from stations.models import Evaluation, Indicator, RatingScheme, Station, StationRating, SubsidyPolicy, SubsidyRate
from stations.models.ratings import EvaluationStatus
from stations.services import (
    evaluation_approve,
    evaluation_score,
    evaluation_start,
    evaluation_submit,
    mobile_digest,
    scheme_for_station,
)
from stations.services.subsidies import subsidy_policy_save, subsidy_run_compute, subsidy_run_create
from unionhub.personal import MOBILE, mask

COUNTY = "140521"
# The share of each indicator's maximum the inspectors gave, station by station: a spread from five stars to
# none (thresholds 60/70/80/88/95).
SHARES = [Decimal(s) for s in ("0.97", "0.90", "0.83", "0.74", "0.64", "0.91", "0.78", "0.55", "0.86", "0.68")]
COMMENTS = ["热水随时有，很方便", "夏天有空调，歇脚好地方", "充电很方便", "管理员热情", "卫生一般", ""]
# kind -> {stars: (construction once, operating per quarter)}, yuan
RATES = {
    "rest": {1: (10000, 1500), 2: (15000, 2250), 3: (20000, 3000), 4: (25000, 3750), 5: (30000, 4500)},
    "workshop": {1: (8000, 1000), 2: (12000, 1500), 3: (16000, 2000), 4: (20000, 2500), 5: (24000, 3000)},
    "labour": {1: (20000, 2500), 2: (30000, 3750), 3: (40000, 5000), 4: (50000, 6250), 5: (60000, 7500)},
}


def seed(core) -> None:
    seed_default_schemes(RatingScheme, Indicator)
    today = timezone.localdate()
    inspector = core.users.get("inspector")
    approver = core.users.get("qinshui")
    rng = random.Random(2026)
    stations = list(
        Station.objects.filter(
            region__code__startswith=COUNTY, status__in=[StationStatus.OPERATING, StationStatus.RECTIFYING]
        ).order_by("code")
    )
    for n, station in enumerate(stations):
        _seed_worker_ratings(station, rng, today, low=station.status == StationStatus.RECTIFYING)
        if Evaluation.objects.filter(station=station).exists() or scheme_for_station(station) is None:
            continue
        inspected = today - dt.timedelta(days=30 + 29 * n)
        _seed_evaluation(station, SHARES[n % len(SHARES)], inspected, inspector, approver)
    _seed_subsidies(today)


def _seed_evaluation(station, share, inspected, inspector, approver) -> None:
    evaluation = evaluation_start(
        station=station, inspectors="赵刚、孙丽（县总工会巡回督查队）", user=inspector, date=inspected
    )
    scores = {}
    for row in evaluation.scores.select_related("indicator"):
        value = (row.indicator.max_points * share).quantize(Decimal("0.1"))
        scores[row.indicator.code] = (value, "现场核定" if row.suggested not in (None, value) else "")
    evaluation_score(evaluation=evaluation, scores=scores)
    evaluation_submit(evaluation=evaluation, user=inspector)
    evaluation_approve(evaluation=evaluation, user=approver, date=inspected + dt.timedelta(days=7), note="同意")


def _seed_worker_ratings(station, rng, today, *, low: bool) -> None:
    for months_ago in range(6):
        month = today.replace(day=1) - relativedelta(months=months_ago)
        for k in range(rng.randint(1, 3)):
            mobile = f"139{station.pk:04d}{months_ago}{k:03d}"[:11]
            score = rng.choice([1, 2, 2, 3]) if low else rng.choice([3, 4, 4, 5, 5])
            StationRating.objects.get_or_create(
                station=station,
                mobile_hash=mobile_digest(mobile),
                month=month,
                defaults={
                    "score": score,
                    "comment": "饮水机坏了没人修" if low else rng.choice(COMMENTS),
                    "mobile_masked": mask(mobile, MOBILE),
                },
            )


def _seed_subsidies(today: dt.date) -> None:
    for year in (today.year - 1, today.year):
        if SubsidyPolicy.objects.filter(region_id=COUNTY, starts_on=dt.date(year, 1, 1)).exists():
            continue
        policy = SubsidyPolicy(
            region_id=COUNTY,
            name=f"沁水县工会驿站建设和运维补贴办法（{year} 年）",
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            period_months=3,
            min_activities=3,
            min_visitors=600,
            shortfall_percent=50,
            suspend_while_rectifying=True,
            budget_cap=Decimal("200000"),
            note="根据星级给予建设和运维补贴；整改期间暂停运维补贴；摘牌后停止补贴。",
        )
        rates = [
            SubsidyRate(kind=kind, stars=stars, construction=Decimal(c), operating=Decimal(o))
            for kind, levels in RATES.items()
            for stars, (c, o) in levels.items()
        ]
        subsidy_policy_save(policy=policy, rates=rates)
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - relativedelta(months=3)
    quarter_end = quarter_start + relativedelta(months=3) - dt.timedelta(days=1)
    run = subsidy_run_create(region_code=COUNTY, period_start=quarter_start, period_end=quarter_end, existing_ok=True)
    if not run.is_locked and run.computed_at is None:  # computed once: a second demo run writes nothing
        subsidy_run_compute(run=run)


__all__ = ["seed", "EvaluationStatus"]
