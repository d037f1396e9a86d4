"""Figures of the register and of the money: households by layer and cause, entrants and leavers, amounts by
programme, cycle, source and union, fund balances reconciled to their movements. Grouped queries only."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, Sum, When

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
from unionhub.models import Region
from unionhub.models.regions import RegionLevel
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


# --- The auditor's period: one county, from one day to another --------------------------------------------


def counties_reached(user):
    """The counties the user may pick for figures: their own, or those below their city or province."""
    return scope_queryset(Region.objects.filter(level=RegionLevel.COUNTY), user).order_by("code")


def fund_period_figures(user, county: str, start, end) -> list[dict]:
    """Each fund of the county over the period: the opening balance (its ledger before ``start``), money in,
    out and back during the period, the closing balance by the ledger, and the book balance at ``end`` (the
    stored balance less what moved after ``end``); ``reconciles`` when the two agree."""
    funds = scope_queryset(Fund.objects.filter(county_id=county), user).order_by("source", "name")
    signed = Case(When(kind=MovementKind.SPENDING, then=-F("amount")), default=F("amount"), output_field=DecimalField())
    sums = {
        row["fund_id"]: row
        for row in FundMovement.objects.filter(fund__in=funds)
        .values("fund_id")
        .annotate(
            opening=Sum(signed, filter=Q(at__date__lt=start)),
            allocated=Sum("amount", filter=Q(kind=MovementKind.ALLOCATION, at__date__gte=start, at__date__lte=end)),
            spent=Sum("amount", filter=Q(kind=MovementKind.SPENDING, at__date__gte=start, at__date__lte=end)),
            returned=Sum("amount", filter=Q(kind=MovementKind.RETURN, at__date__gte=start, at__date__lte=end)),
            after=Sum(signed, filter=Q(at__date__gt=end)),
        )
        .order_by()
    }
    rows = []
    for fund in funds:
        row = sums.get(fund.pk, {})
        opening, allocated, spent, returned, after = (
            row.get(k) or ZERO for k in ("opening", "allocated", "spent", "returned", "after")
        )
        closing = opening + allocated - spent + returned
        book = fund.balance - after
        rows.append(
            {
                "fund": fund,
                "opening": opening,
                "allocated": allocated,
                "spent": spent,
                "returned": returned,
                "closing": closing,
                "book": book,
                "reconciles": closing == book,
            }
        )
    return rows


def cycle_period_figures(user, county: str, start, end) -> list[dict]:
    """The county's cycles starting in the period: households and amounts approved, paid, failed or returned,
    and re-issued. One grouped query."""
    entitlements = scope_queryset(Entitlement.objects.all(), user).filter(
        cycle__programme__county_id=county, cycle__period_start__gte=start, cycle__period_start__lte=end
    )
    money = {
        status: Sum("amount", filter=Q(status__in=statuses))
        for status, statuses in (
            ("given", GIVEN),
            ("paid", (PaymentStatus.PAID,)),
            ("failed", (PaymentStatus.FAILED, PaymentStatus.RETURNED)),
        )
    }
    return list(
        entitlements.values(
            "cycle_id",
            "cycle__programme__name",
            "cycle__programme__fund__name",
            "cycle__name",
            "cycle__period_start",
            "cycle__period_end",
            "cycle__status",
        )
        .annotate(
            households=Count("household", distinct=True),
            n=Count("pk"),
            reissued=Count("pk", filter=Q(reissue_of__isnull=False)),
            **money,
        )
        .order_by("cycle__period_start", "cycle__programme__name", "cycle_id")
    )


def payments_in_period(user, county: str, start, end):
    """Every entitlement of the county's cycles starting in the period, in cycle and household order."""
    return (
        scope_queryset(Entitlement.objects.all(), user)
        .filter(cycle__programme__county_id=county, cycle__period_start__gte=start, cycle__period_start__lte=end)
        .select_related("cycle__programme", "household__union", "person")
        .order_by("cycle__period_start", "cycle_id", "household_id", "pk")
    )
