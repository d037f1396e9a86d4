"""Scoping-matrix cases for hardship (see tests/scope_cases.py): every model with an admin of its own (people,
income, steps and objections are inlines of their household)."""

import datetime as dt
from decimal import Decimal

from hardship.models import (
    CostClaim,
    CountyCriteria,
    Cycle,
    Entitlement,
    Fund,
    FundMovement,
    Household,
    PaymentImport,
    Programme,
    Recheck,
)
from tests.hardship.factories import criteria, fund, household, programme
from tests.scope_cases import ScopeCase, register


def cycle_in(county, people):
    return Cycle.objects.create(
        programme=programme(county),
        name="2026年第三季度",
        period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 9, 30),
    )


def entitlement_in(county, people):
    home = household(county)
    return Entitlement.objects.create(
        cycle=cycle_in(county, people), household=home, county=county, layer="deep", amount=Decimal("300.00")
    )


register(ScopeCase(Household, lambda county, people: household(county), "union", lambda h: h.head_name))
register(ScopeCase(CountyCriteria, lambda county, people: criteria(county), "county", str))
register(
    ScopeCase(
        Recheck,
        lambda county, people: Recheck.objects.create(
            household=household(county), year=2026, due_on=dt.date(2026, 12, 31)
        ),
        None,
        str,
    )
)
register(ScopeCase(Fund, lambda county, people: fund(county), "county", str))
register(ScopeCase(FundMovement, lambda county, people: fund(county).movements.get(), None, str))
register(ScopeCase(Programme, lambda county, people: programme(county), "county", str))
register(ScopeCase(Cycle, cycle_in, None, str))
register(ScopeCase(Entitlement, entitlement_in, None, str))
register(
    ScopeCase(
        CostClaim,
        lambda county, people: CostClaim.objects.create(
            household=household(county), programme=programme(county), amount=Decimal("5000.00")
        ),
        None,
        str,
    )
)
register(
    ScopeCase(
        PaymentImport,
        lambda county, people: PaymentImport.objects.create(
            cycle=cycle_in(county, people), filename="回盘.xlsx", sha256="0" * 64
        ),
        None,
        str,
    )
)
