"""The 监督核查 before publishing, and bad input refused field by field in Chinese with nothing written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from employment.choices import VacancyStatus
from employment.models import Vacancy, VacancyCheck
from employment.services import vacancy_check, vacancy_post
from employment.services.screening import discriminatory_reasons
from tests.casework.factories import file_request, hierarchy
from tests.employment.factories import TODAY, minimum_wage, posted, vacancy_fields
from tests.factories import JIAFENG
from tests.stations.factories import StationFactory
from unionhub.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(regions):
    return StationFactory()


def _check(vacancy, user=None, good_standing=True):
    minimum_wage()
    with translation.override("zh-hans"):
        return vacancy_check(vacancy=vacancy, user=user, good_standing=good_standing, today=TODAY)


def test_pay_below_the_local_minimum_wage_is_refused_and_the_check_recorded(station, alice):
    vacancy = posted(station, pay_min=Decimal("1500"), pay_max=Decimal("1700"))
    check = _check(vacancy, alice)
    vacancy.refresh_from_db()
    assert not check.passed and vacancy.status == VacancyStatus.REFUSED
    assert "低于当地最低工资标准" in check.reasons and "1780" in check.reasons
    assert check.checked_by == alice and check.minimum_wage == Decimal("1780.00")


def test_piece_pay_is_held_to_the_minimum_by_its_usual_monthly_earnings(station):
    vacancy = posted(station, pay_basis="piece", pay_min=Decimal("2"), pay_max=Decimal("5"), monthly_estimate=1600)
    assert not _check(vacancy).passed
    fair = posted(station, pay_basis="order", pay_min=Decimal("5"), pay_max=Decimal("8"), monthly_estimate=6000)
    assert _check(fair).passed


def test_a_gender_requirement_is_refused_with_a_chinese_reason(station):
    vacancy = posted(station, title="物业保安", requirements="限男性，身体健康")
    check = _check(vacancy)
    assert not check.passed
    assert "性别" in check.reasons
    assert Vacancy.objects.get(pk=vacancy.pk).status == VacancyStatus.REFUSED


@pytest.mark.parametrize(
    "text,kind",
    [
        ("女性优先", "性别"),
        ("只招男", "性别"),
        ("汉族优先", "民族"),
        ("35岁以下", "年龄"),
        ("未婚", "婚育"),
        ("乙肝携带者勿扰", "乙肝"),
    ],
)
def test_discriminatory_words_are_found(text, kind):
    with translation.override("zh-hans"):
        reasons = discriminatory_reasons(text)
    assert reasons and kind in " ".join(reasons)


@pytest.mark.parametrize("text", ["男女不限", "年龄18周岁以上", "60岁以下", "会骑电动车，有健康证", "女装店导购"])
def test_lawful_requirements_pass(text):
    assert discriminatory_reasons(text) == []


def test_an_employer_with_an_open_wage_request_is_not_in_good_standing(station):
    hierarchy("140521")
    vacancy = posted(station)
    file_request(
        category="wages", employer_name=vacancy.employer_name, employer_credit_code=vacancy.employer_credit_code
    )
    check = _check(vacancy)
    assert not check.passed and "欠薪" in check.reasons


def test_the_checker_must_confirm_the_employers_standing(station):
    check = _check(posted(station), good_standing=False)
    assert not check.passed and not check.good_standing


def test_a_passing_check_publishes(station, alice):
    vacancy = posted(station)
    assert _check(vacancy, alice).passed
    assert Vacancy.objects.get(pk=vacancy.pk).status == VacancyStatus.PUBLISHED
    assert VacancyCheck.objects.filter(vacancy=vacancy, passed=True, checked_by=alice).exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"pay_min": None}, "pay_min"),
        ({"pay_min": Decimal("5000"), "pay_max": Decimal("4000")}, "pay_max"),
        ({"valid_until": TODAY - dt.timedelta(days=1)}, "valid_until"),
        ({"occupation": "astronaut"}, "occupation"),
        ({"employer_credit_code": "91140521MA0000000X"}, "employer_credit_code"),
        ({"pay_basis": "piece"}, "monthly_estimate"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_written(station, overrides, field):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        vacancy_post(station=station, today=TODAY, town=Region.objects.get(code=JIAFENG), **vacancy_fields(**overrides))
    assert field in caught.value.message_dict
    message = caught.value.message_dict[field][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert not Vacancy.objects.exists()
