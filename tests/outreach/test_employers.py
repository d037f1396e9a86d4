"""Credit codes, the register's rules, the import (all or nothing, row and column), founding a union, and the
funnel and coverage figures computed by hand."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from outreach.choices import VisitOutcome
from outreach.models import Employer
from outreach.selectors import coverage_by_town, funnel
from outreach.services import employer_found_union, employer_save, visit_record
from tests.factories import JIAFENG
from tests.outreach import factories as f
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
