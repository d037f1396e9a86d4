"""Credit codes, the register's rules, the import (all or nothing, row and column), founding a union, and the
funnel and coverage figures computed by hand."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from outreach.choices import Stage, VisitOutcome
from outreach.models import Employer
from outreach.selectors import coverage_by_town, funnel
from outreach.services import employer_found_union, employer_import, employer_save, visit_record
from tests.factories import JIAFENG, UnionOrganizationFactory
from tests.outreach import factories as f
from unionhub.models import Region
from unionhub.validators import normalize_credit_code

VALID = f.code(1)


def test_credit_code_validation():
    assert normalize_credit_code(VALID.lower()) == VALID
    wrong = VALID[:17] + ("A" if VALID[17] != "A" else "B")
    with pytest.raises(ValidationError, match="校验|check"):
        normalize_credit_code(wrong)
    with pytest.raises(ValidationError):
        normalize_credit_code("123")


def test_the_register_refuses_a_bad_code_a_taken_code_and_a_name_under_another_code(alice, bob):
    with pytest.raises(ValidationError) as bad:
        employer_save(employer=Employer(credit_code="91140521MA0000001X", name="甲", town_id=JIAFENG), user=alice)
    assert "credit_code" in bad.value.message_dict
    first = employer_save(employer=Employer(credit_code=VALID, name="甲公司", town_id=JIAFENG), user=alice)
    with pytest.raises(ValidationError) as taken:
        employer_save(employer=Employer(credit_code=VALID, name="乙公司", town_id=JIAFENG), user=alice)
    assert "甲公司" in taken.value.message_dict["credit_code"][0]
    with pytest.raises(ValidationError) as twin:
        employer_save(employer=Employer(credit_code=f.code(2), name="甲公司", town_id=JIAFENG), user=alice)
    assert "name" in twin.value.message_dict
    with pytest.raises(ValidationError):
        employer_save(employer=Employer(credit_code=f.code(3), name="丙", town_id=JIAFENG), user=bob)
    assert list(Employer.objects.all()) == [first]


def _csv(rows):
    lines = ["沁水县企业名录（市场监管局提供）", "统一社会信用代码,企业名称,乡镇,行业,职工人数,是否平台企业", *rows]
    return "\n".join(lines).encode("utf-8")


def test_the_import_is_all_or_nothing_with_row_and_column_and_matches_unions(regions):
    union = UnionOrganizationFactory(credit_code=f.code(10))
    county = Region.objects.get(code="140521")
    bad = _csv(
        [
            f"{f.code(10)},甲公司,嘉峰镇,酒类酿造,100,否",
            "91140521MA0000001X,乙公司,嘉峰镇,,5,是",
            f"{f.code(11)},丙公司,火星镇,,5,否",
        ]
    )
    outcome = employer_import(data=bad, filename="名录.csv", county=county)
    assert not Employer.objects.exists()
    assert outcome.errors == [
        "第 4 行，第 A 列（统一社会信用代码）：统一社会信用代码的校验码不正确，请核对。",
        "第 5 行，第 C 列（乡镇）：“火星镇”不是沁水县的乡镇。",
    ]
    good = _csv([f"{f.code(10)},甲公司,嘉峰镇,酒类酿造,100,否", f"{f.code(11)},丙公司,嘉峰镇,,5,是"])
    outcome = employer_import(data=good, filename="名录.csv", county=county)
    assert outcome.ok and (outcome.created, outcome.matched) == (2, 1), outcome.errors
    matched = Employer.objects.get(credit_code=f.code(10))
    assert matched.union == union and matched.stage == Stage.FOUNDED and matched.industry == "liquor"
    assert Employer.objects.get(credit_code=f.code(11)).is_platform


def test_funnel_and_coverage_by_hand(alice):
    team = f.team()
    a = f.employer(workers=100)  # union founded (members joined: see test_demo)
    b = f.employer(workers=50)  # union, no members -> founded
    c = f.employer(workers=30)  # willing
    d = f.employer(workers=15)  # visited
    f.employer(workers=5)  # not contacted
    for employer, outcome in ((a, "willing"), (c, VisitOutcome.WILLING), (d, VisitOutcome.VISITED)):
        visit_record(
            employer=employer,
            team=team,
            visited_on=dt.date(2026, 9, 1),
            visitors="王丽",
            met="老板",
            said="建会",
            outcome=outcome,
            user=alice,
        )
    employer_found_union(employer=a, user=alice)
    employer_found_union(employer=b, user=alice)
    with pytest.raises(ValidationError):
        employer_found_union(employer=a, user=alice)
    employers = Employer.objects.all()
    assert funnel(employers) == {"none": 1, "visited": 1, "willing": 1, "founded": 2, "joined": 0}
    towns, total = coverage_by_town(employers)
    assert (total.workers, total.covered_workers, total.uncovered_workers) == (200, 150, 50)
    assert str(total.coverage) == "75.0" and len(towns) == 1
