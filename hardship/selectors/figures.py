"""Figures of the register and of the money: households by layer and cause, entrants and leavers, amounts by
programme, cycle, source and union, fund balances reconciled to their movements. Grouped queries only."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from hardship.models import (
    Cause,
    Entitlement,
    Fund,
    FundMovement,
    FundSource,
    Household,
    HouseholdStatus,
    Layer,
    MovementKind,
    PaymentStatus,
)
from unionhub.scoping import scope_queryset

# What counts as given: approved or paid; a failed or returned payment counts through its re-issue.
GIVEN = (PaymentStatus.APPROVED, PaymentStatus.PAID)
ZERO = Decimal("0.00")


def _labelled(rows, choices) -> list[tuple[str, int]]:
    counts = dict(rows)
    return [(label, counts.get(value, 0)) for value, label in choices]


def register_figures(user, year: int) -> dict:
    households = scope_queryset(Household.objects.all(), user)
    on_file = households.filter(status=HouseholdStatus.ON_FILE)
    by_layer = on_file.values("layer").annotate(n=Count("pk")).order_by().values_list("layer", "n")
    by_cause = on_file.values("cause").annotate(n=Count("pk")).order_by().values_list("cause", "n")
    return {
        "on_file": on_file.count(),
        "by_layer": _labelled(by_layer, Layer.choices),
        "by_cause": _labelled(by_cause, Cause.choices),
        "entrants": households.filter(filed_on__year=year).count(),
        "leavers": households.filter(left_on__year=year).count(),
    }


def money_figures(user, year: int) -> dict:
    given = scope_queryset(Entitlement.objects.all(), user).filter(status__in=GIVEN, cycle__period_start__year=year)

    def grouped(*fields):
        return list(
            given.values(*fields)
            .annotate(total=Sum("amount"), n=Count("pk"), households=Count("household", distinct=True))
            .order_by(*fields)
        )

    by_source = {row["cycle__programme__fund__source"]: row for row in grouped("cycle__programme__fund__source")}
    return {
        "by_programme": grouped("cycle__programme__name"),
        "by_cycle": grouped("cycle__programme__name", "cycle__name", "cycle__period_start"),
        "by_source": [(label, by_source.get(value, {}).get("total") or ZERO) for value, label in FundSource.choices],
        "by_union": grouped("household__union__name"),
        "total": given.aggregate(total=Sum("amount"))["total"] or ZERO,
        "households": given.values("household").distinct().count(),
    }


def fund_figures(user) -> list[dict]:
    """Each fund with what came in, went out and came back, and whether its balance reconciles."""
    funds = scope_queryset(Fund.objects.all(), user).order_by("name")
    sums = {
        row["fund_id"]: row
        for row in FundMovement.objects.filter(fund__in=funds)
        .values("fund_id")
        .annotate(
            allocated=Sum("amount", filter=Q(kind=MovementKind.ALLOCATION)),
            spent=Sum("amount", filter=Q(kind=MovementKind.SPENDING)),
            returned=Sum("amount", filter=Q(kind=MovementKind.RETURN)),
        )
        .order_by()
    }
    result = []
    for fund in funds:
        row = sums.get(fund.pk, {})
        allocated, spent, returned = (row.get(k) or ZERO for k in ("allocated", "spent", "returned"))
        result.append(
            {
                "fund": fund,
                "allocated": allocated,
                "spent": spent,
                "returned": returned,
                "balance": fund.balance,
                "reconciles": allocated - spent + returned == fund.balance,
            }
        )
    return result


def quarterly_table(user, year: int, programme_name: str) -> dict:
    """The Guangxi table: per quarter, households given and the amount; the year's total."""
    given = scope_queryset(Entitlement.objects.all(), user).filter(
        status__in=GIVEN, cycle__period_start__year=year, cycle__programme__name=programme_name
    )
    quarters = OrderedDict()
    for row in (
        given.values("cycle__name", "cycle__period_start")
        .annotate(households=Count("household", distinct=True), total=Sum("amount"))
        .order_by("cycle__period_start")
    ):
        quarters[row["cycle__name"]] = row
    total = sum((row["total"] for row in quarters.values()), ZERO)
    return {"quarters": list(quarters.values()), "total": total}
