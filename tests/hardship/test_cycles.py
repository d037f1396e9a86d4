"""Programmes and cycles: eligibility and amount rules with hand-computed figures, a second run changes
nothing, households filed since are added and leavers dropped, exclusive programmes, approval against the
fund."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hardship.models import CostClaim, Cycle, Entitlement, HouseholdStatus
from hardship.services import cycle_approve, cycle_compute, cycle_create, fund_allocate, household_leave
from tests.hardship.factories import fund, household, programme

pytestmark = pytest.mark.django_db

Q3 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))


def _cycle(prog, start=Q3[0], end=Q3[1]):
    return cycle_create(programme=prog, name="2026年第三季度", period_start=start, period_end=end)


def _paid(cycle):
    return sorted(Entitlement.objects.filter(cycle=cycle).values_list("household__head_name", "amount"))


def test_a_fixed_amount_for_households_on_file_only(regions):
    household(head_name="甲")
    household(head_name="乙", layer="relative")
    household(head_name="丙", status=HouseholdStatus.APPLIED)  # not on file yet
    household(head_name="丁", filed_on=dt.date(2026, 10, 2))  # filed after the period
    household(head_name="戊", status=HouseholdStatus.LEFT)
    cycle = cycle_compute(cycle=_cycle(programme()))
    assert _paid(cycle) == [("乙", Decimal("300.00")), ("甲", Decimal("300.00"))]
    assert (cycle.entitlement_count, cycle.total) == (2, Decimal("600.00"))


def test_a_second_run_changes_nothing_new_households_are_added_and_leavers_dropped(regions):
    first = household(head_name="甲")
    household(head_name="乙")
    cycle = cycle_compute(cycle=_cycle(programme()))
    before = list(Entitlement.objects.filter(cycle=cycle).order_by("pk").values_list("pk", "household", "amount"))
    with CaptureQueriesContext(connection) as queries:
        cycle_compute(cycle=cycle)
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].split()[0] in ("INSERT", "DELETE")
        or (q["sql"].startswith("UPDATE") and "hardship_entitlement" in q["sql"])
    ]
    assert writes == []
    assert (
        list(Entitlement.objects.filter(cycle=cycle).order_by("pk").values_list("pk", "household", "amount")) == before
    )
    household(head_name="丙")
    household_leave(household=first, reason="income")
    cycle = cycle_compute(cycle=cycle)
    assert [name for name, _ in _paid(cycle)] == ["丙", "乙"]
    assert cycle.total == Decimal("600.00")


def test_amount_by_layer_by_people_and_capped_by_costs(regions):
    deep, relative, accident = (
        household(layer=layer, people_count=n) for layer, n in (("deep", 4), ("relative", 2), ("accident", 3))
    )
    by_layer = programme(
        name="分层",
        rule="by_layer",
        amount_deep=Decimal("500"),
        amount_relative=Decimal("300"),
        amount_accident=Decimal("800"),
    )
    cycle = cycle_compute(cycle=_cycle(by_layer))
    amounts = dict(Entitlement.objects.filter(cycle=cycle).values_list("household", "amount"))
    assert amounts == {deep.pk: Decimal("500.00"), relative.pk: Decimal("300.00"), accident.pk: Decimal("800.00")}
    # 150 a person, capped at 500: 4 → 500 (600 capped), 2 → 300, 3 → 450.
    by_people = programme(name="按人", rule="by_people", amount=Decimal("150"), cap=Decimal("500"))
    cycle = cycle_compute(cycle=_cycle(by_people))
    amounts = dict(Entitlement.objects.filter(cycle=cycle).values_list("household", "amount"))
    assert amounts == {deep.pk: Decimal("500.00"), relative.pk: Decimal("300.00"), accident.pk: Decimal("450.00")}
    # Serious illness: costs submitted, up to 20,000; deep and accident only; no costs, nothing.
    illness = programme(name="大病救助", rule="costs", cap=Decimal("20000"), layers="deep,accident")
    CostClaim.objects.create(household=deep, programme=illness, amount=Decimal("18000.50"))
    CostClaim.objects.create(household=deep, programme=illness, amount=Decimal("7000"))
    CostClaim.objects.create(household=relative, programme=illness, amount=Decimal("9000"))
    cycle = cycle_compute(cycle=_cycle(illness))
    assert dict(Entitlement.objects.filter(cycle=cycle).values_list("household", "amount")) == {
        deep.pk: Decimal("20000.00")
    }


def test_per_person_for_students(regions):
    home = household(people_count=4)
    home.people.create(name="张一", relationship="child", is_student=True, age=12)
    home.people.create(name="张二", relationship="child", is_student=True, age=16)
    home.people.create(name="张三", relationship="parent", age=70)
    other = household()
    school = programme(name="金秋助学", per_person=True, person_condition="student", amount=Decimal("1000"))
    cycle = cycle_compute(cycle=_cycle(school))
    rows = sorted(Entitlement.objects.filter(cycle=cycle).values_list("person__name", "amount"))
    assert rows == [("张一", Decimal("1000.00")), ("张二", Decimal("1000.00"))]
    assert not Entitlement.objects.filter(household=other).exists()
    assert cycle_compute(cycle=cycle).total == Decimal("2000.00")


def test_exclusive_programmes_do_not_pay_one_household_twice(regions):
    both, only_b = household(head_name="甲"), household(head_name="乙")
    a = programme(name="生活救助")
    b = programme(name="临时救助", amount=Decimal("500"))
    a.exclusive_with.add(b)
    cycle_a = _cycle(a)
    cycle_compute(cycle=cycle_a)
    Entitlement.objects.filter(cycle=cycle_a, household=only_b).delete()
    cycle_b = cycle_compute(cycle=_cycle(b, dt.date(2026, 8, 1), dt.date(2026, 8, 31)))
    assert _paid(cycle_b) == [("乙", Decimal("500.00"))]
    assert both.entitlements.count() == 1
    # A cycle of A that does not overlap does not exclude.
    later = cycle_compute(cycle=_cycle(b, dt.date(2026, 10, 1), dt.date(2026, 12, 31)))
    assert later.entitlement_count == 2


def test_approval_is_refused_beyond_the_fund_balance_and_spends_it_when_covered(regions, alice):
    household(), household(), household()
    money = fund(amount=Decimal("899.99"))
    cycle = cycle_compute(cycle=_cycle(programme(fund_=money)))
    with pytest.raises(ValidationError) as error:
        cycle_approve(cycle=cycle, user=alice)
    assert "899.99" in error.value.messages[0] and "900.00" in error.value.messages[0]
    money.refresh_from_db()
    assert money.balance == Decimal("899.99") and Cycle.objects.get().status == "proposed"
    fund_allocate(fund=money, amount=Decimal("0.01"))
    cycle = cycle_approve(cycle=cycle, user=alice)
    money.refresh_from_db()
    assert money.balance == Decimal("0.00") and cycle.status == "approved" and cycle.approved_by == alice
    assert set(cycle.entitlements.values_list("status", flat=True)) == {"approved"}
    with pytest.raises(ValidationError):
        cycle_compute(cycle=cycle)  # approved: locked
