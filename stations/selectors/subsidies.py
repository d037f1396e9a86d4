"""Subsidy reads: what a run comes to, for the approval confirmation and the workbench."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from stations.models import SubsidyRun
from stations.models.subsidies import RunStatus, SubsidyType

ZERO = Decimal("0.00")


def run_totals_by_type(run: SubsidyRun) -> list[dict]:
    """Per subsidy type: its label, how many allocations pay something and their total (one grouped query)."""
    rows = {
        row["subsidy_type"]: row
        for row in run.allocations.filter(amount__gt=0)
        .values("subsidy_type")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by()
    }
    return [
        {
            "label": label,
            "count": rows.get(value, {}).get("n", 0),
            # SQLite sums decimals as floats.
            "total": Decimal(str(rows.get(value, {}).get("total") or 0)).quantize(ZERO),
        }
        for value, label in SubsidyType.choices
    ]


def runs_to_approve(runs: QuerySet) -> QuerySet:
    """Computed runs waiting for the county's approval."""
    return runs.filter(status=RunStatus.PROPOSED)
