"""The register: filing, the steps to getting on file, the cross-county check, leaving; bad input beside the
field in Chinese with nothing written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hardship.models import Household, HouseholdEvent, HouseholdStatus, Objection
from hardship.services import (
    ELSEWHERE,
    household_apply,
    household_approve,
    household_leave,
    household_notice_start,
    household_review,
    household_visit,
    objection_add,
    objection_resolve,
)
from hardship.services.register import layer_by_income
from tests.hardship.factories import grassroots, household, resident_id

pytestmark = pytest.mark.django_db


def _new(county="140521", **fields):
    values = {
        "head_name": "李秀英",
        "resident_id": resident_id(county),
        "layer": "deep",
        "cause": "illness",
        "people_count": 3,
        **fields,
    }
    return Household(union=grassroots(county), **values)


def test_the_layer_follows_the_county_thresholds(qinshui):
    # 700 a month: deep below 700 × 1.00 = 700, relative below 700 × 1.50 = 1,050.
    assert qinshui.threshold("deep") == Decimal("700.00") and qinshui.threshold("relative") == Decimal("1050.00")
    assert layer_by_income(criteria=qinshui, income_per_head_month=Decimal("699.99")) == "deep"
    assert layer_by_income(criteria=qinshui, income_per_head_month=Decimal("700.00")) == "relative"
    assert layer_by_income(criteria=qinshui, income_per_head_month=Decimal("1050.00")) is None
    # 3 people, 21,600 a year: 600 a month per head.
    assert _new(annual_income=Decimal("21600")).income_per_head_month == Decimal("600.00")


def test_an_application_is_filed_with_its_people_income_and_a_step(regions, alice):
    home = household_apply(
        household=_new(),
        people=[{"name": "李小明", "relationship": "child", "age": 15, "is_student": True}],
        incomes=[("wages", Decimal("14400.00")), ("allowance", Decimal("2400.00"))],
        user=alice,
    )
    assert home.status == HouseholdStatus.APPLIED and home.county == "140521"
    assert home.annual_income == Decimal("16800.00") and home.people.count() == 1 and home.incomes.count() == 2
    step = home.events.get()
    assert (step.step, step.by) == ("apply", alice)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"resident_id": "140521198001010000"}, "resident_id", "身份证"),
        ({"mobile": "12345"}, "mobile", "手机号"),
        ({"bank_account": "62-ABC"}, "bank_account", "银行账号"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(regions, fields, field, message):
    with pytest.raises(ValidationError) as error:
        household_apply(household=_new(**fields))
    assert field in error.value.error_dict
    assert Household.objects.count() == 0


def test_income_that_does_not_add_up_is_refused(regions):
    with pytest.raises(ValidationError) as error:
        household_apply(household=_new(annual_income=Decimal("20000.00")), incomes=[("wages", Decimal("14400.00"))])
    assert "annual_income" in error.value.error_dict and Household.objects.count() == 0


def test_a_household_on_file_in_another_county_reads_only_already_filed_elsewhere(regions):
    on_file = household("140521")
    with pytest.raises(ValidationError) as error:
        household_apply(household=_new("140522", resident_id=on_file.resident_id))
    assert error.value.message_dict == {"resident_id": [ELSEWHERE]}
    assert ELSEWHERE == "已在其他地区建档"
    # A member of the household is found too.
    on_file.people.create(name="王小芳", relationship="spouse", resident_id=(spouse := resident_id("140521")))
    with pytest.raises(ValidationError) as error:
        household_apply(household=_new("140522", resident_id=spouse))
    assert error.value.message_dict == {"resident_id": [ELSEWHERE]}
    # Once the first household has left, the second county may file.
    household_leave(household=on_file, reason="moved")
    assert household_apply(household=_new("140522", resident_id=on_file.resident_id)).county == "140522"


def test_the_whole_way_onto_the_register_with_who_and_when(qinshui, alice):
    home = household_apply(household=_new(), user=alice)
    with pytest.raises(ValidationError) as error:
        household_visit(household=home, record="  ", user=alice)
    assert "record" in error.value.error_dict
    home = household_visit(household=home, record="入户走访，情况属实。", user=alice)
    home = household_review(household=home, passed=True, record="民主评议通过。", user=alice)
    with pytest.raises(ValidationError) as error:
        household_notice_start(household=home, starts=dt.date(2026, 9, 1), days=3, user=alice)
    assert "5" in error.value.message_dict["days"][0]
    home = household_notice_start(household=home, starts=dt.date(2026, 9, 1), user=alice)
    assert (home.notice_starts, home.notice_ends) == (dt.date(2026, 9, 1), dt.date(2026, 9, 7))  # 7 days
    objection = objection_add(household=home, content="其子有经营收入。", received_on=dt.date(2026, 9, 2))
    with pytest.raises(ValidationError):
        household_approve(household=home, user=alice, today=dt.date(2026, 9, 7))  # the notice still runs
    with pytest.raises(ValidationError):
        household_approve(household=home, user=alice, today=dt.date(2026, 9, 8))  # an objection open
    objection_resolve(objection=objection, resolution="经核实已停业。", upheld=False, user=alice)
    home = household_approve(household=home, user=alice, today=dt.date(2026, 9, 8))
    assert home.status == HouseholdStatus.ON_FILE and home.filed_on == dt.date(2026, 9, 8)
    assert home.recheck_due == dt.date(2027, 9, 8)
    steps = list(HouseholdEvent.objects.filter(household=home).values_list("step", "by__username"))
    assert steps == [
        ("apply", "alice"),
        ("visit", "alice"),
        ("review", "alice"),
        ("notice", "alice"),
        ("approve", "alice"),
    ]
    assert Objection.objects.get().resolved_by == alice


def test_an_upheld_objection_stops_the_approval(qinshui):
    home = household(status=HouseholdStatus.NOTICE, notice_starts=dt.date(2026, 9, 1), notice_ends=dt.date(2026, 9, 7))
    objection_resolve(objection=objection_add(household=home, content="虚报"), resolution="属实", upheld=True)
    with pytest.raises(ValidationError):
        household_approve(household=home, today=dt.date(2026, 9, 10))


def test_leaving_needs_a_reason(regions, alice):
    home = household()
    with pytest.raises(ValidationError) as error:
        household_leave(household=home, reason="", user=alice)
    assert "leave_reason" in error.value.error_dict
    home = household_leave(household=home, reason="income", note="再就业", on=dt.date(2026, 10, 1), user=alice)
    assert (home.status, home.left_on, home.leave_reason) == ("left", dt.date(2026, 10, 1), "income")
