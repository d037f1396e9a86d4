"""Matching both ways, ranked as computed by hand on a small set; referrals and their outcomes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from employment.choices import Outcome, WishStatus
from employment.models import JobWish, Vacancy
from employment.selectors import vacancies_for_wish, wishes_for_vacancy
from employment.services import referral_make, referral_record, wish_withdraw
from tests.employment.factories import TODAY, filed, published
from tests.stations.factories import StationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def here(regions):
    return StationFactory(latitude=Decimal("35.700000"), longitude=Decimal("112.400000"))


@pytest.fixture
def away(regions):
    # 0.09° of latitude north: 0.09 × 110.574 = 9.95 km.
    return StationFactory(latitude=Decimal("35.790000"), longitude=Decimal("112.400000"))


def test_wishes_for_a_vacancy_ranked_as_computed_by_hand(here, away):
    vacancy = published(here, pay_min=Decimal("4000"), pay_max=Decimal("6000"), daily_hours=9)
    near_rich = filed(here, name="甲", pay_expected=Decimal("8000"), max_daily_hours=10)
    near = filed(here, name="乙", pay_expected=Decimal("5000"), max_daily_hours=8)
    far = filed(away, name="丙", pay_expected=Decimal("5000"), max_daily_hours=10)
    filed(here, name="丁", occupation="courier")  # another occupation: not a candidate
    ranked = list(wishes_for_vacancy(vacancy, today=TODAY))
    # 甲: 40 + 30 (same place) + 20 × 6000/8000 = 15 + 10 (9 ≤ 10 hours) = 95
    # 乙: 40 + 30 + 20 (6000 ≥ 5000) + 0 (9 > 8 hours) = 90
    # 丙: 40 + 30 × (1 − 9.95/30) = 20.05 + 20 + 10 = 90.05
    assert [w.name for w in ranked] == ["甲", "丙", "乙"]
    scores = {w.name: w.score for w in ranked}
    assert scores["甲"] == pytest.approx(95.0)
    assert scores["乙"] == pytest.approx(90.0)
    assert scores["丙"] == pytest.approx(90.05, abs=0.01)
    assert {w.pk for w in ranked} == {near_rich.pk, near.pk, far.pk}


def test_expired_withdrawn_and_placed_wishes_are_not_candidates(here, alice):
    vacancy = published(here)
    old = filed(here, name="旧")
    JobWish.objects.filter(pk=old.pk).update(valid_until=TODAY - dt.timedelta(days=1))
    wish_withdraw(wish=filed(here, name="撤"), user=None)
    filed(here, name="在")
    assert [w.name for w in wishes_for_vacancy(vacancy, today=TODAY)] == ["在"]


def test_vacancies_for_a_wish_ranked_by_hand(here, away):
    wish = filed(here, pay_expected=Decimal("6000"), max_daily_hours=8)
    a = published(here, title="近而少", pay_max=Decimal("4500"), daily_hours=8)  # 40+30+15+10 = 95
    b = published(away, title="远而多", pay_max=Decimal("7000"), daily_hours=8)  # 40+20.05+20+10 = 90.05
    c = published(here, title="近而长", pay_max=Decimal("6000"), daily_hours=12)  # 40+30+20+0 = 90
    ranked = list(vacancies_for_wish(wish, today=TODAY))
    assert [v.pk for v in ranked] == [a.pk, b.pk, c.pk]
    assert ranked[0].score == pytest.approx(95.0)


def test_a_hire_fills_a_post_places_the_wish_and_a_full_vacancy_leaves_the_public_list(here):
    vacancy = published(here, posts=1)
    wish = filed(here)
    referral = referral_make(vacancy=vacancy, wish=wish, user=None, today=TODAY)
    with pytest.raises(ValidationError):
        referral_make(vacancy=vacancy, wish=wish, user=None, today=TODAY)
    referral_record(referral=referral, user=None, outcome=Outcome.HIRED, interview_on=TODAY)
    assert Vacancy.objects.get(pk=vacancy.pk).filled_posts == 1
    assert JobWish.objects.get(pk=wish.pk).status == WishStatus.PLACED
    assert not Vacancy.objects.current(TODAY).filter(pk=vacancy.pk).exists()
    referral_record(referral=referral, user=None, outcome=Outcome.NO_SHOW)  # corrected: the post is open again
    assert Vacancy.objects.current(TODAY).filter(pk=vacancy.pk).exists()


def test_a_referral_out_of_the_users_reach_is_refused(here, bob):
    vacancy = published(here)
    with pytest.raises(PermissionDenied):
        referral_make(vacancy=vacancy, wish=filed(here), user=bob, today=TODAY)
