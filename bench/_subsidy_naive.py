"""The benchmark's peer for subsidy runs: the same facts gathered station by station (several queries per
station) and the allocations written one by one. Not product code; the equivalence test uses it too."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, Sum

from stations.models import Activity, Rectification, StarRating, SubsidyAllocation, SubsidyRun, VisitorCount
from stations.models.subsidies import SubsidyType
from stations.services.subsidy_compute import _compute, _facts, _station_rows
from stations.services.subsidy_rules import Rules, StationFacts


def gather_facts_naive(run: SubsidyRun, rules: Rules, progress: Callable[[int, str], None]) -> list[StationFacts]:
    """The same facts, station by station (several queries per station). For comparison only."""
    ps, pe = run.period_start, run.period_end
    result = []
    for row in _station_rows(run, rules):
        pk = row[0]
        ratings = StarRating.objects.filter(station_id=pk, valid_from__lte=pe).order_by("valid_from", "pk")
        notices = Rectification.objects.filter(station_id=pk, issued_on__lte=pe).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=ps)
        )
        elsewhere = SubsidyAllocation.objects.filter(station_id=pk).exclude(run=run)
        result.append(
            _facts(
                row,
                ratings.values_list("valid_from", "valid_until", "stars"),
                Activity.objects.filter(station_id=pk, date__gte=ps, date__lte=pe).count(),
                VisitorCount.objects.filter(station_id=pk, date__gte=ps, date__lte=pe).aggregate(n=Sum("visitors"))["n"]
                or 0,
                notices.values_list("issued_on", "closed_on"),
                elsewhere.filter(subsidy_type=SubsidyType.CONSTRUCTION).exists(),
                elsewhere.filter(subsidy_type=SubsidyType.OPERATING, period_start=ps).exists(),
            )
        )
    return result


def subsidy_run_compute_naive(*, run: SubsidyRun) -> SubsidyRun:
    """The same run computed with a per-station loop and per-row writes."""
    return _compute(run, gather=gather_facts_naive, per_row=True)
