"""Makers of employment rows for the tests: a station, a minimum wage, vacancies (posted and checked), wishes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

from django.utils import timezone

from employment.models import MinimumWage
from employment.services import vacancy_check, vacancy_post, wish_file
from tests.factories import QINSHUI, TOWN_OF, credit_code
from tests.stations.factories import StationFactory
from unionhub.models import Region

TODAY = timezone.localdate()
_codes = count(1000)


def minimum_wage(county: str = QINSHUI, monthly: str = "1780.00") -> MinimumWage:
    region = Region.objects.get(code=county)
    wage, _ = MinimumWage.objects.get_or_create(
        region=region, valid_from=dt.date(2025, 1, 1), defaults={"monthly": Decimal(monthly)}
    )
    return wage


def vacancy_fields(**overrides) -> dict:
    fields = {
        "employer_name": "某某外卖配送站",
        "employer_credit_code": credit_code(next(_codes)),
        "title": "外卖骑手",
        "occupation": "delivery_rider",
        "posts": 5,
        "pay_basis": "monthly",
        "pay_min": Decimal("4000"),
        "pay_max": Decimal("7000"),
        "daily_hours": 8,
        "requirements": "身体健康，会骑电动车",
        "contact": "王经理",
        "contact_phone": "0356-5551234",
        "valid_until": TODAY + dt.timedelta(days=30),
    }
    fields.update(overrides)
    return fields


def posted(station=None, county: str = QINSHUI, **overrides):
    station = station or StationFactory(region_id=TOWN_OF[county])
    fields = vacancy_fields(**overrides)
    fields.setdefault("town", Region.objects.get(code=station.region_id))
    return vacancy_post(station=station, today=TODAY, **fields)


def published(station=None, user=None, county: str = QINSHUI, **overrides):
    vacancy = posted(station, county, **overrides)
    minimum_wage(vacancy.station.region_id[:6])
    check = vacancy_check(vacancy=vacancy, user=user, good_standing=True, today=TODAY)
    assert check.passed, check.reasons
    vacancy.refresh_from_db()
    return vacancy


def wish_fields(**overrides) -> dict:
    fields = {
        "occupation": "delivery_rider",
        "pay_expected": Decimal("5000"),
        "max_daily_hours": 10,
        "mobile": "13912345678",
        "consent": True,
        "name": "李四",
    }
    fields.update(overrides)
    return fields


def filed(station=None, county: str = QINSHUI, **overrides):
    station = station or StationFactory(region_id=TOWN_OF[county])
    return wish_file(station=station, today=TODAY, **wish_fields(**overrides))
